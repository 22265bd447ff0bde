package io.stoker.server.forge

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import spock.lang.IgnoreIf
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/**
 * A project's own push-webhook secret, set through the API, is sealed with the master key like every stored secret:
 * no database file holds it, the API never returns it, and deliveries signed with it still verify.
 */
class ProjectWebhookSecretSealedSpec extends ServerSpecification {
    static final String SECRET = 'project-hook-secret-never-on-disk'

    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared TestRepo app

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        gitServer = GitHttpServer.serve(gitRoot)
        app = TestRepo.create(gitRoot.resolve('app.git'))
        app.commit('main', 'first', [Jobfile: "job('build') { triggers { push branches: ['main'] }\n task('t') { sh 'true' } }\n"])
        def created = http.post('/projects', [name: 'app', gitUrl: gitServer.url('app.git'), branch: 'main',
                                              webhookSecret: SECRET])
        assert created.status == 201, created.text
    }

    def cleanupSpec() {
        gitServer?.close()
        app?.close()
    }

    def "the API says a secret is set, never which"() {
        expect:
        http.get('/projects/app').json.webhookSecretSet == true
        !http.get('/projects/app').text.contains(SECRET)
        !http.get('/projects').text.contains(SECRET)
    }

    @IgnoreIf(value = { sys['stoker.test.store'] == 'postgresql' }, reason = 'reads the H2 file')
    def "no database file holds the project's webhook secret in clear"() {
        given:
        def db = dataDir.resolve('db')

        expect: "the project's git URL is readable in the files, so its secret would be too if it were stored in clear"
        Http.eventually { DatabaseFiles.holding(db, gitServer.url('app.git')) ?: null }
        DatabaseFiles.holding(db, SECRET) == []

        when: 'a PUT replaces the secret'
        def put = http.put('/projects/app', [gitUrl: gitServer.url('app.git'), branch: 'main',
                                             webhookSecret: SECRET + '-replaced'])

        then:
        put.status == 200
        DatabaseFiles.holding(db, SECRET + '-replaced') == []

        cleanup:
        http.put('/projects/app', [gitUrl: gitServer.url('app.git'), branch: 'main', webhookSecret: SECRET])
    }

    def "a push signed with the sealed secret starts its run; one signed with another secret is refused"() {
        given:
        String pushed = app.commit('main', 'second', [VERSION: '2\n'])
        byte[] body = HostPayloads.json(HostPayloads.githubPush(gitServer.url('app.git'), 'refs/heads/main',
                '0' * 40, pushed, [HostPayloads.commit(pushed, 'second', ['VERSION'])]))

        when:
        def wrong = http.postRaw('/hooks/github', body, HostPayloads.githubHeaders(body, 'not-the-project-secret'))
        def right = http.postRaw('/hooks/github', body, HostPayloads.githubHeaders(body, SECRET))

        then:
        wrong.status == 401
        right.status == 202
        right.json.runs*.job == ['build']
        awaitEnd(right.json.runs[0].key as String).status == 'succeeded'
    }

}
