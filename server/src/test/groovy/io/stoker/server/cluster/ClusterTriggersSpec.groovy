package io.stoker.server.cluster

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.MigratedPostgres
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.server.trigger.MutableClock
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Duration
import java.time.Instant

/**
 * Two servers of a cluster (in this JVM, each with a trigger clock the spec moves) on one PostgreSQL database and
 * data directory: what one server keeps in memory about the other's changes. A project's cron schedules, made or
 * changed through one server, are the other's too at once; a trigger step waiting on one server hears the end of the
 * run it started when the other server ran it.
 */
@Requires({ TestPostgres.available() })
class ClusterTriggersSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared TestPostgres pg
    @Shared MutableClock clockA = new MutableClock(Instant.parse('2026-01-05T02:00:00Z'))
    @Shared MutableClock clockB = new MutableClock(Instant.parse('2026-01-05T02:00:00Z'))
    @Shared StokerServer a
    @Shared StokerServer b
    @Shared Http http

    def setupSpec() {
        pg = MigratedPostgres.create()
        // one slot each: a run holding one server's slot leaves the next run to the other server
        def config = ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(1)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD).withDb(pg.dbUrl())
        // no server is lost here: a lease a loaded machine's pause cannot outlast
        Map env = [STOKER_CLUSTER_LEASE: ClusterLeases.STEADY]
        a = StokerServer.start(MigratedDatabase.into(config), clockA, clockA, System.getenv() + env)
        b = StokerServer.start(MigratedDatabase.into(config), clockB, clockB, System.getenv() + env)
        http = Http.loggedIn(a.url())
    }

    def cleanupSpec() {
        b?.close()
        a?.close()
        pg?.close()
    }

    /** Moves B's clock to 03:00:30 of the next day and ticks its triggers there; answers how many runs it started. */
    @Shared int day = 0

    int tickNextNightOnB() {
        day++
        clockB.set(Instant.parse('2026-01-05T03:00:30Z') + Duration.ofDays(day))
        b.tickTriggers().size()
    }

    def "a cron schedule made through one server fires on the other, and stops firing there once removed"() {
        when: 'a project with a nightly job is made through A, which B has never heard of'
        assert http.post('/projects', [name: 'nightly', jobfile: '''
            job('report') { triggers { cron '0 3 * * *' }; task('t') { sh 'echo report' } }
        ''']).status == 201

        then: 'B fires it at 03:00 (within moments of the change: the news crosses over LISTEN/NOTIFY)'
        Http.eventually(30_000) { tickNextNightOnB() == 1 }

        when: 'the schedule is removed through A'
        assert http.put('/projects/nightly', [jobfile: '''
            job('report') { task('t') { sh 'echo report' } }
        ''']).status == 200

        then: 'B no longer fires it'
        Http.eventually(30_000) { tickNextNightOnB() == 0 }
        tickNextNightOnB() == 0
    }

    def "a trigger step waiting on one server hears the end of the run it started on the other"() {
        given: 'a job whose step starts another job and waits for it; a slot per server'
        assert http.post('/projects', [name: 'chain', jobfile: '''
            job('up') { task('t') { trigger 'down' } }
            job('down') { task('d') { sh 'echo down' } }
        ''']).status == 201

        when: "'up' holds one server's only slot while it waits, so the other server runs 'down'"
        String key = http.post('/projects/chain/jobs/up/runs', [:]).json.key
        def up = Http.eventually(60_000) {
            def r = http.get("/runs/$key").json
            r.status in ['succeeded', 'failed', 'cancelled', 'timedout'] ? r : null
        }

        then:
        up.status == 'succeeded'
        def down = http.get('/runs?project=chain&job=down').json.runs
        down.size() == 1
        down[0].status == 'succeeded'
    }
}
