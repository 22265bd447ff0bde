package io.stoker.server.storemove

import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.ServerProcess
import io.stoker.server.StokerServer
import io.stoker.server.db.Database
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * An installation that began on the default H2 store moves into PostgreSQL ({@code stoker store move}) and goes on
 * there as it was: the same users, passwords, API tokens, sealed secrets, projects, runs and logs, with numbering and
 * keys continuing. A database in use, a running server or a missing H2 store is refused, and nothing changes.
 */
@Requires({ TestPostgres.available() })
class StoreMoveSpec extends Specification {
    @TempDir Path dataDir
    @TempDir Path otherDataDir
    TestPostgres pg = TestPostgres.create()
    StokerServer server

    def cleanup() {
        server?.close()
        pg.close()
    }

    StokerServer start(String db, Path dir = dataDir) {
        def config = ServerConfig.defaults().withPort(0).withDataDir(dir).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD)
        StokerServer.start(db == null ? config : config.withDb(db))
    }

    def "an H2 installation moved into PostgreSQL keeps its users, tokens, secrets, projects, runs and numbering"() {
        given: 'a server on the default H2 store with a second user, an API token, a secret and two runs of a job reading it'
        server = start(null)
        def http = Http.loggedIn(server.url())
        assert http.post('/users', [username: 'devi', password: 'developer-pass-1', role: 'developer']).status == 201
        String token = http.post('/tokens', [name: 'ci-box']).json.token
        assert http.post('/secrets', [name: 'DEPLOY_KEY', value: 'sealed-value-4711']).status == 201
        assert http.post('/projects', [name: 'shop', jobfile: """job('build') {
  secrets 'DEPLOY_KEY'
  task('check') { sh '[ "\$DEPLOY_KEY" = sealed-value-4711 ] && echo "key read: \$DEPLOY_KEY"' }
}"""]).status == 201
        List<String> before = (1..2).collect { awaitEnd(http, http.post('/projects/shop/jobs/build/runs', [:]).json.key as String) }
        server.close()
        server = null

        when:
        def moved = StoreMove.move(dataDir, pg.dbUrl())

        then: 'every row went over, and the H2 file is set aside, not deleted'
        moved.rows().runs == 2
        moved.rows().projects == 1
        moved.rows().users == 2
        moved.database() == pg.dbUrl()
        !Files.exists(dataDir.resolve('db/stoker.mv.db'))
        Files.size(dataDir.resolve('db/' + StoreMove.SET_ASIDE)) > 0

        when: 'the server starts on PostgreSQL with the same data directory'
        server = start(pg.dbUrl())
        http = Http.loggedIn(server.url())

        then: 'the users log in with their passwords, the API token made on H2 still works'
        Http.loggedIn(server.url(), 'devi', 'developer-pass-1').get('/me').json.username == 'devi'
        http.anonymous().withToken(token).get('/me').json.username == 'admin'

        and: 'the runs and their logs are there, the secret masked in them'
        http.get('/runs?project=shop').json.runs*.key.toSet() == before.toSet()
        http.get("/runs/${before[0]}/tasks/check/log").text.contains('key read: ***')

        and: 'the sealed secret still opens, and the next run is number 3'
        String next = http.post('/projects/shop/jobs/build/runs', [:]).json.key
        awaitEnd(http, next)
        with(http.get("/runs/$next").json) {
            number == 3
            status == 'succeeded'
        }

        and: 'rows PostgreSQL numbers itself continue after the copied ones (a new user, a new project)'
        http.post('/users', [username: 'vera', password: 'viewer-password-1', role: 'viewer']).status == 201
        http.post('/projects', [name: 'second', jobfile: "job('b') { task('t') { sh 'true' } }"]).status == 201

        when: 'a server is started on that data directory without --db'
        server.close()
        server = null
        start(null)

        then: 'it refuses to begin an empty H2 store beside the moved one'
        def e = thrown(Database.CannotOpenException)
        e.message.contains('belongs to a server on ' + pg.dbUrl())
    }

    def "a database that holds a store already is refused, and the H2 store stays as it was"() {
        given: 'an H2 installation, and a PostgreSQL database another server has begun'
        server = start(null)
        assert Http.loggedIn(server.url()).post('/projects', [name: 'kept', jobfile: "job('b') { task('t') { sh 'true' } }"]).status == 201
        server.close()
        server = start(pg.dbUrl(), otherDataDir)
        server.close()
        server = null

        when:
        StoreMove.move(dataDir, pg.dbUrl())

        then:
        def e = thrown(MoveRefused)
        e.message.startsWith(pg.dbUrl() + ' holds a store already (')
        e.message.contains('users 1')
        e.message.endsWith('move into a new, empty database (createdb --owner USER NAME)')

        and: 'the data directory is untouched: its H2 store starts and holds the project'
        Files.exists(dataDir.resolve('db/stoker.mv.db'))
        !Files.exists(dataDir.resolve('store'))
        (server = start(null)) != null
        Http.loggedIn(server.url()).get('/projects/kept').status == 200
    }

    def "the store of a running server is not moved"() {
        given: 'a server in a process of its own (within one JVM, H2 shares an open database instead of locking it)'
        def running = ServerProcess.start(dataDir)

        when:
        StoreMove.move(dataDir, pg.dbUrl())

        then:
        def e = thrown(MoveRefused)
        e.message == "the H2 store in ${dataDir.toAbsolutePath()} is in use by a running Stoker server (its database is locked); stop that server first"
        !Files.exists(dataDir.resolve('store'))
        Files.exists(dataDir.resolve('db/stoker.mv.db'))

        cleanup:
        running?.kill()
    }

    def "a data directory without an H2 store has nothing to move"() {
        when:
        StoreMove.move(otherDataDir, pg.dbUrl())

        then:
        def e = thrown(MoveRefused)
        e.message == "there is no H2 store to move in ${otherDataDir.toAbsolutePath()} (no ${otherDataDir.resolve('db/stoker.mv.db').toAbsolutePath()})"
    }

    private static String awaitEnd(Http http, String key) {
        def run = Http.eventually { def r = http.get("/runs/$key").json; r.status in ['succeeded', 'failed', 'cancelled', 'timedout'] ? r : null }
        assert run.status == 'succeeded', http.get("/runs/$key/tasks/check/log").text
        key
    }
}
