package io.stoker.server

import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/**
 * Git credentials kept in the encrypted secret store: a project's {@code credentials} name is looked up as a secret
 * of the project first, then as a global one granted to it, before the deprecated environment and file.
 */
class GitSecretCredentialsSpec extends ServerSpecification {
    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared TestRepo repo

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-private-git'))
        gitServer = GitHttpServer.withBasicAuth(gitRoot, 'alice', 'tok-from-store')
        repo = TestRepo.create(gitRoot.resolve('private.git'))
        repo.commit('main', 'first', [Jobfile: "job('build') { task('t') { sh 'cat plan.txt' } }\n",
                                      'plan.txt': 'the private plan\n'])
        freestyle('bystander', "job('j') { task('t') { sh 'true' } }")
    }

    def cleanupSpec() {
        gitServer?.close()
        repo?.close()
    }

    def "a global secret holding user:token lets a project fetch a private repository and run"() {
        given:
        assert http.post('/secrets', [name: 'GIT_BOT', value: 'alice:tok-from-store']).status == 201

        when:
        def created = http.post('/projects', [name: 'private', gitUrl: gitServer.url('private.git'), credentials: 'GIT_BOT'])
        def key = trigger('private', 'build')

        then:
        created.status == 201
        !created.text.contains('tok-from-store')
        awaitEnd(key).status == 'succeeded'
        http.get("/runs/$key/tasks/t/log").text.contains('the private plan')
        !dataDir.resolve('git-credentials.properties').toFile().exists()
    }

    def "the project's own secret of that name shadows the global one"() {
        when: 'the project stores wrong credentials under the same name'
        http.post('/secrets', [name: 'GIT_BOT', value: 'alice:wrong-token', project: 'private'])
        def refreshed = http.post('/projects/private/refresh')

        then:
        refreshed.status == 422
        !refreshed.text.contains('wrong-token')

        when: 'they are removed again'
        http.delete('/secrets/GIT_BOT?project=private')

        then:
        http.post('/projects/private/refresh').status == 200
    }

    def "a global secret granted to other projects only is not used"() {
        given:
        http.post('/secrets', [name: 'NOT_YOURS', value: 'alice:tok-from-store', projects: ['bystander']])

        when:
        def r = http.post('/projects', [name: 'ungranted', gitUrl: gitServer.url('private.git'), credentials: 'NOT_YOURS'])

        then:
        r.status == 422
        r.json.details.any { it.contains("no git credentials named 'NOT_YOURS'") && it.contains('stoker secret set NOT_YOURS') }
    }

    def "a stored secret that is not user:token is refused with how to write it"() {
        given:
        http.post('/secrets', [name: 'NO_COLON', value: 'just-a-token'])

        when:
        def r = http.post('/projects', [name: 'malformed', gitUrl: gitServer.url('private.git'), credentials: 'NO_COLON'])

        then:
        r.status == 422
        r.json.details.any { it.contains('username:token') }
        !r.text.contains('just-a-token')
    }

    def "a git project with credentials becomes a freestyle one when its source is replaced by a Jobfile"() {
        given:
        assert http.post('/secrets', [name: 'GIT_BOT2', value: 'alice:tok-from-store']).status == 201
        assert http.post('/projects', [name: 'turned', gitUrl: gitServer.url('private.git'), credentials: 'GIT_BOT2']).status == 201

        when: 'as `stoker project update turned --jobfile Jobfile` sends it'
        def r = http.put('/projects/turned', [name: 'turned', jobfile: "job('local') { task('t') { sh 'true' } }", file: 'Jobfile'])

        then:
        r.status == 200
        r.json.kind == 'freestyle'
        r.json.credentials == null
        r.json.jobs == ['local']

        and: 'credentials given with a Jobfile are still refused'
        http.put('/projects/turned', [jobfile: "job('x') { task('t') { sh 'true' } }", credentials: 'GIT_BOT2']).with {
            status == 400 && json.message.contains("'credentials' is only for git projects")
        }
    }
}
