package io.stoker.cli.store

import io.stoker.cli.CliRun
import io.stoker.engine.fixtures.ClosedPort
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** {@code stoker store move}: what it says when it moved a store, and its one-line refusals. */
class StoreMoveCommandSpec extends Specification {
    @TempDir Path dataDir

    @Requires({ TestPostgres.available() })
    def "it moves a stopped server's H2 store, says how many rows went where, and how to start the server now"() {
        given: 'a data directory a server on H2 ran a job in'
        def pg = TestPostgres.create()
        def server = StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(1)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD))
        def http = Http.loggedIn(server.url())
        assert http.post('/projects', [name: 'app', jobfile: "job('b') { task('t') { sh 'true' } }"]).status == 201
        String key = http.post('/projects/app/jobs/b/runs', [:]).json.key
        Http.eventually { http.get("/runs/$key").json.status == 'succeeded' ?: null }
        server.close()

        when:
        def run = CliRun.of('store', 'move', '--data-dir', dataDir, '--to', pg.dbUrl())

        then:
        run.exit == 0
        def lines = run.out.readLines()
        lines[0] ==~ /moved \d+ rows of \d+ tables into ${java.util.regex.Pattern.quote(pg.dbUrl())} \(.*\)/
        lines[0].contains('projects 1') && lines[0].contains('runs 1')
        lines[1] == "the H2 file is kept as ${dataDir.resolve('db/stoker.mv.db.moved')}; start the server with --db ${pg.dbUrl()} --data-dir $dataDir"
        Files.readString(dataDir.resolve('store')).strip() == pg.dbUrl()

        cleanup:
        pg?.close()
    }

    def "a data directory without an H2 store is refused in one line, exit 2"() {
        when:
        def run = CliRun.of('store', 'move', '--data-dir', dataDir, '--to', 'postgresql://stoker@127.0.0.1:5432/stoker')

        then:
        run.exit == 2
        run.err.readLines() == ["stoker: there is no H2 store to move in $dataDir (no ${dataDir.resolve('db/stoker.mv.db')})".toString()]
    }

    def "a URL that is not PostgreSQL's is refused in one line naming the form"() {
        when:
        def run = CliRun.of('store', 'move', '--data-dir', dataDir, '--to', 'mysql://root@db/stoker')

        then:
        run.exit == 2
        run.err.readLines().size() == 1
        run.err.startsWith("stoker: 'mysql://root@db/stoker' is not a PostgreSQL URL")
    }

    def "a PostgreSQL that cannot be reached is exit 3 (try again), not a refusal"() {
        given: 'a stopped server\'s H2 store, and a port nothing listens on, held so that nothing can start listening there meanwhile'
        io.stoker.server.db.Database.open(dataDir).close()
        def closed = new ClosedPort()
        int port = closed.port

        when:
        def run = CliRun.of('store', 'move', '--data-dir', dataDir, '--to', "postgresql://stoker@127.0.0.1:$port/stoker")

        then:
        run.exit == 3
        run.err.readLines().size() == 1
        run.err.contains("127.0.0.1:$port")
        Files.exists(dataDir.resolve('db/stoker.mv.db'))

        cleanup:
        closed?.close()
    }
}
