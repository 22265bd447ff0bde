package io.stoker.server.db

import io.stoker.server.MigratedPostgres

import io.stoker.engine.run.RunState
import io.stoker.server.Http
import io.stoker.server.run.RunRepository
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires

import java.time.Duration
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/** The store contract on PostgreSQL: each feature on a database of its own, dropped after it. */
@Requires({ TestPostgres.available() })
class PostgresStoreSpec extends StoreContract {
    TestPostgres pg

    @Override
    Database open() {
        pg = pg ?: MigratedPostgres.create() // a copy of a template migrated once: each feature spared the migrations
        Database.open(dir, pg.dbUrl())
    }

    @Override
    void drop() {
        pg?.close()
    }

    def "an H2 server started on the data directory of a server on PostgreSQL refuses, naming that database"() {
        when: 'the data directory this spec\'s PostgreSQL store was opened with is opened without --db'
        Database.open(dir, null)

        then: 'one sentence names the database and the way out; no H2 store was begun there'
        def e = thrown(Database.CannotOpenException)
        e.message.startsWith("the data directory ${dir.toAbsolutePath()} belongs to a server on postgresql://")
        e.message.contains(pg.dbUrl().replaceAll('.*/', '/')) // the database's name
        e.message.contains('start this one with --db')
        !java.nio.file.Files.exists(dir.resolve('db/stoker.mv.db'))

        when: 'a data directory that has an H2 store of its own opens on H2 as before, marker or not'
        def own = java.nio.file.Files.createDirectories(dir.resolve('own'))
        Database.open(own, null).close()
        java.nio.file.Files.copy(dir.resolve('store'), own.resolve('store'))
        Database.open(own, null).close()

        then:
        notThrown(Exception)
    }

    def "its pooled sessions have the statement timeout"() {
        expect:
        db.connection().withCloseable { c ->
            c.createStatement().executeQuery('SHOW statement_timeout').with { next(); getString(1) }
        } == '30s'
    }

    def "servers claiming one job's queued runs at once never run more of them than its concurrency"() {
        given: 'eight queued runs of a job with concurrency 2, and eight servers each claiming one of them at the same moment'
        def runs = new RunRepository(db)
        def build = job('build', 'compile')
        (1..8).each { runs.insert(newRun("r$it", 'p', build), T0) }
        def pool = Executors.newFixedThreadPool(8)
        def go = new CountDownLatch(1)

        when:
        def claims = (1..8).collect { i ->
            pool.submit({ go.await(); runs.claim("r$i", "server-$i", 2, T0, Duration.ofSeconds(30)) } as Callable<Boolean>)
        }
        go.countDown()
        def won = (1..8).findAll { claims[it - 1].get(60, TimeUnit.SECONDS) }

        then:
        won.size() == 2
        won.every { runs.find("r$it").orElseThrow().status() == RunState.RUNNING }
        runs.queuedKeys().size() == 6

        when: 'one of the two ends: a slot of the job is free for the next claim, and only one'
        runs.failToStart("r${won[0]}", 'ended', T0.plusSeconds(1))
        def next = runs.queuedKeys()

        then:
        runs.claim(next[0], 'server-x', 2, T0.plusSeconds(2), Duration.ofSeconds(30))
        !runs.claim(next[1], 'server-y', 2, T0.plusSeconds(2), Duration.ofSeconds(30))
        runs.claim(next[1], 'server-y', 0, T0.plusSeconds(2), Duration.ofSeconds(30)) // no limit: it starts

        cleanup:
        pool.shutdownNow()
    }

    def "a claim made while another transaction holds the queued run's row waits for it, and takes the run"() {
        given: 'a queued run whose row another transaction has locked (as a teller marking its queued told does)'
        def runs = new RunRepository(db)
        runs.insert(newRun('r1', 'p', job('build', 'compile')), T0)
        def holder = db.connection()
        holder.autoCommit = false
        holder.createStatement().withCloseable { it.executeUpdate("UPDATE runs SET queued_told = -1 WHERE run_key = 'r1'") }

        when: 'a server claims it meanwhile'
        def pool = Executors.newSingleThreadExecutor()
        def claim = pool.submit({ runs.claim('r1', 'server-1', 0, T0, Duration.ofSeconds(30)) } as Callable<Boolean>)

        then: 'the claim waits for the row instead of taking the lock for another claim (it was skipped: the run stayed queued)'
        Http.eventually { waitingOnALock(pg) }
        !claim.done

        when: 'the other transaction commits'
        holder.commit()

        then: 'the claim takes the run'
        claim.get(30, TimeUnit.SECONDS)
        runs.find('r1').orElseThrow().status() == RunState.RUNNING

        cleanup:
        holder?.close()
        pool?.shutdownNow()
    }

    /** Whether a session of this spec's database waits for a lock another one holds. */
    private static boolean waitingOnALock(TestPostgres pg) {
        pg.connection().withCloseable { c ->
            c.createStatement().withCloseable { st ->
                def rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() " +
                        "AND wait_event_type = 'Lock'")
                rs.next() && rs.getInt(1) > 0
            }
        }
    }

    def "a lease runs out by the database's clock: a server whose clock is days behind keeps its run"() {
        given: 'a run claimed by a server whose clock says two days ago (T0), for a lease of 30 s'
        def runs = new RunRepository(db)
        runs.insert(newRun('r1', 'p', job('build', 'compile')), T0)
        assert runs.claim('r1', 'behind', 0, T0, Duration.ofSeconds(30))

        when: 'another server, on time, looks for lost runs'
        def lost = runs.takeOverLost(java.time.Instant.now(), { false })

        then: 'nothing is lost: the lease was counted from the database clock, not from the claimer clock'
        lost.isEmpty()
        runs.find('r1').orElseThrow().status() == RunState.RUNNING

        when: 'the holder leaves (its leases end now) and the next look comes'
        runs.renewLeases('behind', Duration.ZERO)
        def taken = Http.eventually { def t = runs.takeOverLost(java.time.Instant.now(), { false }); t ?: null }

        then:
        taken*.key() == ['r1']
        runs.find('r1').orElseThrow().status() == RunState.FAILED
    }
}
