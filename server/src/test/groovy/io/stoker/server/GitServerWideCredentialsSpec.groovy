package io.stoker.server

import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock

/**
 * Server-wide git credentials (deprecated: {@code STOKER_GIT_CREDENTIALS_<NAME>} or {@code DATA/git-credentials.properties})
 * are bound to no project and no host: a developer who could name them on a project of theirs, at a URL of their
 * choice, would have the server send them there. Giving them to a project is an admin's decision; credentials kept
 * as a secret granted to the project stay the developer's to name.
 */
class GitServerWideCredentialsSpec extends ServerSpecification {
    static final String REFUSAL = "server-wide git credentials 'CI_BOT' can be given to a project by an admin only;" +
            " keep credentials as a secret granted to the project instead"

    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared TestRepo repo
    @Shared Http dev

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), Clock.systemUTC(),
                System.getenv() + [STOKER_GIT_CREDENTIALS_CI_BOT: 'alice:s3cret-token'])
    }

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-wide-git'))
        gitServer = GitHttpServer.withBasicAuth(gitRoot, 'alice', 's3cret-token')
        repo = TestRepo.create(gitRoot.resolve('private.git'))
        repo.commit('main', 'first', [Jobfile: "job('build') { task('t') { sh 'true' } }\n"])
        dataDir.resolve('git-credentials.properties').text = 'FILE_BOT=alice:s3cret-token\n'
        assert http.post('/users', [username: 'mallory', password: 'developer-pass-1', role: 'developer']).status == 201
        dev = Http.loggedIn(server.url(), 'mallory', 'developer-pass-1')
    }

    def cleanupSpec() {
        gitServer?.close()
        repo?.close()
    }

    def "a developer cannot name server-wide credentials on a new project, and nothing is fetched with them"() {
        given:
        int requests = gitServer.requestCount()

        when:
        def fromEnv = dev.post('/projects', [name: 'steal', gitUrl: gitServer.url('private.git'), credentials: 'CI_BOT'])
        def fromFile = dev.post('/projects', [name: 'steal2', gitUrl: gitServer.url('private.git'), credentials: 'FILE_BOT'])

        then:
        fromEnv.status == 403
        fromEnv.json.message == REFUSAL
        fromFile.status == 403
        fromFile.json.message.startsWith("server-wide git credentials 'FILE_BOT' can be given to a project by an admin only")
        gitServer.requestCount() == requests
        http.get('/projects/steal').status == 404
        http.get('/projects/steal2').status == 404
    }

    def "an admin gives them to a project; its developer member can change its settings but not point it elsewhere"() {
        given:
        def created = http.post('/projects', [name: 'shared', gitUrl: gitServer.url('private.git'), credentials: 'CI_BOT'])
        assert created.status == 201, created.text
        assert http.put('/projects/shared/members/mallory', [:]).status == 200

        when: 'the member points the project at a host of their own'
        int requests = gitServer.requestCount()
        def moved = dev.put('/projects/shared', [gitUrl: 'http://127.0.0.1:9/steal.git'])

        then:
        moved.status == 403
        moved.json.message == "project 'shared' uses server-wide git credentials 'CI_BOT': only an admin may change" +
                " its git URL; keep credentials as a secret granted to the project instead"
        gitServer.requestCount() == requests
        http.get('/projects/shared').json.gitUrl == gitServer.url('private.git')

        and: 'naming other server-wide credentials is refused; sending the project back as it is, refreshing it and its settings are not'
        dev.put('/projects/shared', [credentials: 'FILE_BOT']).status == 403
        http.get('/projects/shared').json.credentials == 'CI_BOT'
        dev.put('/projects/shared', [gitUrl: gitServer.url('private.git'), credentials: 'CI_BOT']).status == 200
        dev.post('/projects/shared/refresh').status == 200
        dev.put('/projects/shared', [webhookSecret: 'a-webhook-secret-1']).status == 200
    }

    def "credentials kept as a secret granted to the project stay the developer's to name"() {
        given:
        assert http.post('/secrets', [name: 'GIT_BOT', value: 'alice:s3cret-token']).status == 201

        when:
        def created = dev.post('/projects', [name: 'mine', gitUrl: gitServer.url('private.git'), credentials: 'GIT_BOT'])

        then:
        created.status == 201
        created.json.credentials == 'GIT_BOT'
    }

    def "the refusal of unknown credentials does not show the server's data directory"() {
        when:
        def r = dev.post('/projects', [name: 'unknown', gitUrl: gitServer.url('private.git'), credentials: 'nope'])

        then:
        r.status == 422
        r.json.details.any { it.contains("no git credentials named 'nope'") && it.contains('git-credentials.properties') }
        !r.text.contains(dataDir.toString())
    }
}
