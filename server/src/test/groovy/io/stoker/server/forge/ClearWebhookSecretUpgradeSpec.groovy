package io.stoker.server.forge

import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.server.db.ClosedDatabase
import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import io.stoker.store.postgres.TestPostgres
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * A project's own webhook secret that a version before sealing stored in clear keeps verifying deliveries after the
 * upgrade, and the upgraded server's start seals it. With {@code -Dstoker.test.store=postgresql} on PostgreSQL.
 */
class ClearWebhookSecretUpgradeSpec extends Specification {
    static final String SECRET = 'clear-secret-from-an-earlier-version'

    @TempDir Path dataDir
    @TempDir Path gitRoot
    TestPostgres postgres
    GitHttpServer gitServer
    TestRepo app
    StokerServer server

    def setup() {
        gitServer = GitHttpServer.serve(gitRoot)
        app = TestRepo.create(gitRoot.resolve('app.git'))
        app.commit('main', 'first', [Jobfile: "job('build') { triggers { push branches: ['main'] }\n task('t') { sh 'true' } }\n"])
        if (System.getProperty('stoker.test.store') == 'postgresql') postgres = TestPostgres.create()
    }

    def cleanup() {
        server?.close()
        gitServer?.close()
        app?.close()
        postgres?.close()
    }

    def "a clear secret from before verifies deliveries after a restart and is sealed by the restart"() {
        given: 'a project made by a server, then its secret written in clear, as versions before sealing stored it'
        def config = ServerConfig.defaults().withPort(0).withDataDir(dataDir).withIsolatedCompiler(false)
                .withAdminPassword(Http.ADMIN_PASSWORD).withDb(postgres?.dbUrl())
        server = StokerServer.start(config)
        assert Http.loggedIn(server.url()).post('/projects', [name: 'app', gitUrl: gitServer.url('app.git'),
                                                              branch: 'main']).status == 201
        server.close()
        server = null
        sql { c -> c.prepareStatement("UPDATE projects SET webhook_secret = ? WHERE name = 'app'").withCloseable {
            it.setString(1, SECRET)
            assert it.executeUpdate() == 1
        } }

        when: 'the server starts again'
        server = StokerServer.start(config.withPort(0))
        def http = Http.loggedIn(server.url())
        String pushed = app.commit('main', 'second', [VERSION: '2\n'])
        byte[] body = HostPayloads.json(HostPayloads.githubPush(gitServer.url('app.git'), 'refs/heads/main',
                '0' * 40, pushed, [HostPayloads.commit(pushed, 'second', ['VERSION'])]))
        def wrong = http.postRaw('/hooks/github', body, HostPayloads.githubHeaders(body, 'not-the-project-secret'))
        def right = http.postRaw('/hooks/github', body, HostPayloads.githubHeaders(body, SECRET))

        then: 'the old secret still verifies its deliveries, and only it'
        wrong.status == 401
        right.status == 202
        right.json.runs*.job == ['build']
        http.get('/projects/app').json.webhookSecretSet == true
        !http.get('/projects/app').text.contains(SECRET)

        when:
        server.close()
        server = null

        then: 'the row no longer holds it in clear, only sealed'
        column('webhook_secret') == null
        with(column('webhook_secret_sealed') as byte[]) {
            it != null
            !new String(it, 'ISO-8859-1').contains(SECRET)
        }
        postgres != null || DatabaseFiles.holding(dataDir.resolve('db'), SECRET) == []
    }

    /** The app project's {@code name} column, read directly. */
    private Object column(String name) {
        sql { c ->
            def rs = c.createStatement().executeQuery("SELECT $name FROM projects WHERE name = 'app'")
            assert rs.next()
            rs.getObject(1)
        }
    }

    /** Runs {@code work} on a connection to the (closed) server's database, as an earlier version's code would. */
    private <T> T sql(Closure<T> work) {
        ClosedDatabase.sql(dataDir, postgres?.dbUrl(), work)
    }
}
