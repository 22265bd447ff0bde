package io.stoker.server.db

import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * A real server on PostgreSQL: what it stored is there after a restart; a newer, foreign or half-migrated schema, or a
 * master key of its own in a cluster (one that opens neither the secrets nor the agents' keys), stops its start.
 */
@Requires({ TestPostgres.available() })
class PostgresServerSpec extends Specification {
    @TempDir Path dataDir
    @TempDir Path otherDataDir
    TestPostgres pg = TestPostgres.create()
    StokerServer server

    def cleanup() {
        server?.close()
        pg.close()
    }

    StokerServer start() {
        StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD).withDb(pg.dbUrl()))
    }

    def "a project made and a run finished on PostgreSQL are there after a restart, numbering goes on"() {
        given:
        server = start()
        def http = Http.loggedIn(server.url())

        when:
        assert http.post('/projects', [name: 'pg', jobfile: "job('build') { task('hello') { sh 'echo hello from postgres' } }"]).status == 201
        String key = http.post('/projects/pg/jobs/build/runs', [:]).json.key
        def run = Http.eventually { def r = http.get("/runs/$key").json; r.status == 'succeeded' ? r : null }

        then:
        run.number == 1
        server.banner().contains("db: postgresql://postgres@")

        when: 'the server stops and starts again on the same database'
        server.close()
        server = start()
        http = Http.loggedIn(server.url())

        then: 'the admin, the project, the run and its log are there'
        http.get('/projects/pg').status == 200
        with(http.get("/runs/$key").json) {
            status == 'succeeded'
            tasks.hello.status == 'succeeded'
        }
        http.get("/runs/$key/tasks/hello/log").text.contains('hello from postgres')

        and: 'the next run of the job is number 2'
        String next = http.post('/projects/pg/jobs/build/runs', [:]).json.key
        http.get("/runs/$next").json.number == 2
    }

    def "a server refuses to start on a database a newer Stoker migrated, and says so in one sentence"() {
        given:
        server = start()
        server.close()
        server = null
        def direct = new org.postgresql.ds.PGSimpleDataSource()
        direct.setURL(pg.url.jdbcUrl())
        direct.user = pg.url.user()
        direct.connection.withCloseable { c ->
            c.createStatement().executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, "
                    + "type, script, checksum, installed_by, execution_time, success) VALUES (9999, '9999', 'future', "
                    + "'SQL', 'V9999__future.sql', 0, 'spec', 1, TRUE)")
        }

        when:
        server = start()

        then:
        def e = thrown(IllegalStateException)
        e.message.startsWith('the database schema is at version 9999, newer than this Stoker knows (up to ')
    }

    def "a server refuses a database holding another application's tables, and says so in one sentence"() {
        given: 'a database some other program uses'
        execute("CREATE TABLE runs (id INT)", "CREATE TABLE users (name TEXT)")

        when:
        server = start()

        then:
        def e = thrown(IllegalStateException)
        e.message == "the database holds tables that Stoker did not make (runs, users) and no record of Stoker's " +
                'migrations (flyway_schema_history): give Stoker an empty database of its own'

        and: 'nothing of Stoker was added to it'
        tables() == ['runs', 'users']
    }

    def "a migration recorded as failed part-way stops the start with what to do, not Flyway's 'run repair'"() {
        given:
        server = start()
        server.close()
        server = null
        execute("UPDATE flyway_schema_history SET success = FALSE WHERE installed_rank = "
                + "(SELECT MAX(installed_rank) FROM flyway_schema_history)")

        when:
        server = start()

        then:
        def e = thrown(IllegalStateException)
        e.message ==~ /the database's migration to version \d+ \(.+\) failed part-way: restore the backup made before the upgrade, then start Stoker again/
    }

    def "a server joining a cluster with a master key of its own is refused before it claims runs whose secrets it cannot open"() {
        given: 'a server of the cluster that stored a secret'
        server = start()
        def http = Http.loggedIn(server.url())
        assert http.post('/secrets', [name: 'TOKEN', value: 's3cret']).status == 201

        when: 'a second server starts on the same database with a data directory (and so a master key) of its own'
        def second = StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(otherDataDir).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD).withDb(pg.dbUrl()))

        then:
        def e = thrown(IllegalStateException)
        e.message == "the master key ${otherDataDir.resolve('master.key')} does not open the secrets the other servers of " +
                "the cluster stored (global secret 'TOKEN'): start every server of a cluster on the same --data-dir (or " +
                "the same STOKER_MASTER_KEY)"

        cleanup:
        second?.close()
    }

    def "a server joining a cluster with a master key of its own is refused when it cannot open the agents' private keys"() {
        given: 'a server of the cluster that registered an SSH agent (no secret stored)'
        server = start()
        def http = Http.loggedIn(server.url())
        def pair = io.stoker.server.agent.TestKeys.ecKeyPair()
        def made = http.post('/agents', [name: 'builder1', host: '127.0.0.1', port: 1, user: 'ci',
                privateKey: io.stoker.server.agent.TestKeys.openSsh(pair),
                hostKey: io.stoker.server.agent.TestKeys.otherFingerprint()])
        assert made.status == 201, made.text

        when: 'a second server starts on the same database with a data directory (and so a master key) of its own'
        def second = StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(otherDataDir).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD).withDb(pg.dbUrl()))

        then:
        def e = thrown(IllegalStateException)
        e.message == "the master key ${otherDataDir.resolve('master.key')} does not open the private keys of the " +
                "agents the other servers of the cluster stored (agent 'builder1'): start every server of a cluster " +
                "on the same --data-dir (or the same STOKER_MASTER_KEY)"

        cleanup:
        second?.close()
    }

    private void execute(String... statements) {
        direct().connection.withCloseable { c -> statements.each { c.createStatement().execute(it) } }
    }

    private List<String> tables() {
        direct().connection.withCloseable { c ->
            def rs = c.createStatement().executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            def names = []
            while (rs.next()) names << rs.getString(1)
            names
        }
    }

    private javax.sql.DataSource direct() {
        def ds = new org.postgresql.ds.PGSimpleDataSource()
        ds.setURL(pg.url.jdbcUrl())
        ds.user = pg.url.user()
        ds
    }
}
