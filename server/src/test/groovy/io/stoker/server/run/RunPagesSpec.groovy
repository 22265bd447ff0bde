package io.stoker.server.run

import io.stoker.server.db.Database
import io.stoker.server.db.StoreContract
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.sql.PreparedStatement

/**
 * Pages of runs on the H2 file store, read from an index: the dispatcher's look at the queue (oldest first) and a
 * page of a job's history or of one status (newest first) cost the page, not every run they are taken from. A run's
 * end looks at the queue once, so a 1,000-run queue read ~500,000 rows while it was worked off; a job's history page
 * read and sorted all of the job's runs.
 */
class RunPagesSpec extends Specification {
    static final int BUILDS = 300
    static final int TESTS = 50

    @Shared @TempDir Path dir
    @Shared @AutoCleanup Database db
    @Shared RunRepository runs

    def setupSpec() {
        db = Database.open(dir)
        runs = new RunRepository(db)
        def build = StoreContract.job('build', 'compile')
        def test = StoreContract.job('test', 'unit')
        (1..BUILDS).each { runs.insert(StoreContract.newRun("q$it", 'p', build), StoreContract.T0) }
        (1..10).each { assert runs.start("q$it", StoreContract.T0) } // the oldest ten builds have left the queue
        (1..TESTS).each {
            runs.insert(StoreContract.newRun("t$it", 'p', test), StoreContract.T0)
            assert runs.start("t$it", StoreContract.T0)
        }
    }

    def "a page of the queue comes oldest first, and the next page starts after the last run of the one before"() {
        when:
        def first = runs.queuedAfter(Long.MIN_VALUE, 32)
        def second = runs.queuedAfter(first.last().id(), 32)
        def allButNewest = runs.queuedAfter(Long.MIN_VALUE, BUILDS - 11) // 290 are queued
        def last = runs.queuedAfter(allButNewest.last().id(), 32)

        then:
        first*.key() == (11..42).collect { "q$it" }
        second*.key() == (43..74).collect { "q$it" }
        last*.key() == ["q$BUILDS"]
    }

    def "a job's history and the runs of one status come newest first, a page at a time, with their total"() {
        when:
        def history = runs.list(new RunFilter('p', 'build', null, null, null, 1, 20))
        def older = runs.list(new RunFilter('p', 'build', null, null, null, 2, 20))
        def running = runs.list(new RunFilter(null, null, 'running', null, null, 1, 20))
        def lastRunning = runs.list(new RunFilter(null, null, 'running', null, null, 3, 20))

        then:
        history.total() == BUILDS
        history.runs()*.key() == (300..281).collect { "q$it" }
        older.runs()*.key() == (280..261).collect { "q$it" }
        running.total() == 10 + TESTS
        running.runs()*.key() == (50..31).collect { "t$it" }
        lastRunning.runs()*.key() == (10..1).collect { "t$it" } + (10..1).collect { "q$it" }
    }

    def "H2 reads only the queue's page from the index, however many runs are queued"() {
        when:
        String plan = explain(RunRepository.QUEUE_PAGE) { PreparedStatement s ->
            s.setString(1, 'queued')
            s.setLong(2, Long.MIN_VALUE)
            s.setInt(3, 32)
        }

        then: 'the rows come in the index order (no sort of the whole queue) and H2 counts a page of rows read'
        plan.contains('/* index sorted */')
        scanCount(plan) <= 33
    }

    def "H2 reads a page of a job's history or of one status from an index, not all of its runs: #what"() {
        given:
        def query = RunRepository.PageQuery.of(filter)

        when:
        String plan = explain(query.page()) { PreparedStatement s ->
            int next = query.bind(s)
            s.setInt(next, 20)
            s.setLong(next + 1, 0)
        }

        then:
        plan.contains('/* index sorted */')
        scanCount(plan) <= 21

        where:
        what              | filter
        'a job\'s history' | new RunFilter('p', 'build', null, null, null, 1, 20)
        'queued runs'     | new RunFilter(null, null, 'queued', null, null, 1, 20)
    }

    private String explain(String sql, Closure<?> bind) {
        db.connection().withCloseable { c ->
            c.prepareStatement('EXPLAIN ANALYZE ' + sql).withCloseable { PreparedStatement s ->
                bind(s)
                def rs = s.executeQuery()
                rs.next()
                rs.getString(1)
            }
        }
    }

    private static int scanCount(String plan) {
        def m = plan =~ /scanCount: (\d+)/
        assert m.find(), plan
        m.group(1) as int
    }
}
