package io.stoker.server.trigger

import io.stoker.server.git.TestRepo
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Path
import java.time.Duration
import java.time.Instant

/** Cron and poll schedules, each registered under its typed key, turned into queued runs at the clock's ticks. */
@Timeout(120)
class SchedulesSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup
    TriggerFixture f

    @AutoCleanup
    Schedules schedules

    def setup() {
        f = new TriggerFixture(tmp, Instant.parse('2026-05-04T02:58:00Z'))
        schedules = new Schedules(f.projects, f.service, f.mirrors, f.credentials, f.state,
                new TriggerClock<ScheduleKey>(f.clock))
        f.projects.onChange(schedules::reload)
    }

    def "a cron schedule fires at its tick, once, and queues a run at the scheduled time"() {
        given:
        f.freestyle('nightly', "job('build') {\n  triggers { cron '0 3 * * *' }\n  task('t') { sh 'true' }\n}\n")
        schedules.reloadAll()

        expect: 'not before its time'
        schedules.tick() == []

        when:
        f.clock.advance(Duration.ofMinutes(2))
        def started = schedules.tick()

        then:
        started*.trigger == ['cron']
        started*.job == ['build']
        f.runs.find(started[0].key()).get().metadata() == [cron: [scheduledAt: '2026-05-04T03:00Z[UTC]']]

        and: 'the same minute does not fire again'
        schedules.tick() == []
    }

    def "a poll held up by a git host that does not answer neither delays a cron firing nor piles up behind itself"() {
        given: 'a cron job, a polled job, and the one poll thread busy (as with a fetch from a host that never answers)'
        f.freestyle('nightly', "job('build') {\n  triggers { cron '* * * * *' }\n  task('t') { sh 'true' }\n}\n")
        def repo = TestRepo.create(tmp.resolve('repos/held.git'))
        repo.commit('main', 'one', [Jobfile: "job('poller') {\n  triggers { poll '* * * * *' }\n  task('t') { sh 'true' }\n}\n"])
        f.git('held', repo.url())
        def pollThread = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<Runnable>())
        def hostAnswers = new java.util.concurrent.CountDownLatch(1)
        pollThread.execute { hostAnswers.await(60, java.util.concurrent.TimeUnit.SECONDS) }
        def clock = new TriggerClock<ScheduleKey>(f.clock)
        def held = new Schedules(f.projects, f.service, f.mirrors, f.credentials, f.state, clock, pollThread)
        held.reloadAll()

        when: 'a minute passes'
        f.clock.advance(Duration.ofMinutes(1))
        def due = clock.tick()
        due.each { held.dispatch(it) }

        then: 'both were due, and the cron run starts while the poll waits'
        due*.key().toSet() == [ScheduleKey.cron('nightly', 'build'), ScheduleKey.poll('held', 'poller')] as Set
        waitFor { f.runsOf('nightly', 'build').size() == 1 }
        pollThread.queue.size() == 1

        when: 'the next minute finds the poll still waiting (and the first cron run out of the queue: a tick that finds it queued starts no other)'
        waitFor { f.runsOf('nightly', 'build').every { it.status() != io.stoker.engine.run.RunState.QUEUED } }
        f.clock.advance(Duration.ofMinutes(1))
        clock.tick().each { held.dispatch(it) }

        then: 'its tick is skipped rather than queued behind it; the cron fires again'
        pollThread.queue.size() == 1
        waitFor { f.runsOf('nightly', 'build').size() == 2 }

        cleanup:
        hostAnswers.countDown()
        held?.close()
    }

    def "a job slower than its schedule: a tick while an earlier tick's run is queued starts no other"() {
        given: 'a job of one run at a time, whose first run waits for a file'
        Path go = tmp.resolve('go')
        f.freestyle('slow', """job('every') {
  concurrency 1
  triggers { cron '* * * * *' }
  task('t') { sh 'for i in \$(seq 1 2400); do [ -f "$go" ] && break; sleep 0.05; done' }
}
""")
        schedules.reloadAll()
        def first = tickAfterAMinute()
        assert first.size() == 1
        waitFor { f.runs.find(first[0].key()).get().status() == io.stoker.engine.run.RunState.RUNNING }

        when: 'the next tick queues a run behind it, and the ticks after that find that one waiting'
        def second = tickAfterAMinute()
        def third = tickAfterAMinute()
        def fourth = tickAfterAMinute()

        then:
        second.size() == 1
        third == [] && fourth == []
        f.runsOf('slow', 'every').size() == 2

        when: 'the queue moves on'
        java.nio.file.Files.createFile(go)
        waitFor { f.runsOf('slow', 'every').every { it.isFinal() } }

        then: 'the next tick queues a run again'
        tickAfterAMinute().size() == 1
    }

    private static void waitFor(Closure<Boolean> condition) {
        long end = System.nanoTime() + 60_000_000_000L
        while (!condition()) {
            assert System.nanoTime() < end, 'not so within 60 s'
            Thread.sleep(20)
        }
    }

    def "schedules are keyed by job: a changed project replaces its keys, a deleted one drops them"() {
        given:
        f.freestyle('p', "job('a') {\n  triggers { cron '0 3 * * *' }\n  task('t') { sh 'true' }\n}\n"
                + "job('b') {\n  task('t') { sh 'true' }\n}\n")

        expect:
        clockKeys() == [ScheduleKey.cron('p', 'a')]

        when:
        f.projects.delete('p')

        then:
        clockKeys() == []
    }

    def "a poll notices a new commit on the project's branch and builds it once"() {
        given:
        def repo = TestRepo.create(tmp.resolve('repos/app.git'))
        repo.commit('main', 'one', [Jobfile: "job('poller') {\n  triggers { poll '* * * * *' }\n  task('t') { sh 'true' }\n}\n"])
        f.git('app', repo.url())

        expect: 'the heads seen at registration are not built'
        clockKeys() == [ScheduleKey.poll('app', 'poller')]
        tickAfterAMinute() == []

        when:
        String newer = repo.commit('main', 'two', [VERSION: '2\n'])
        repo.commit('other', 'elsewhere', [VERSION: 'o\n'])
        def started = tickAfterAMinute()

        then: 'only the project branch is built'
        started*.trigger == ['poll']
        f.runs.find(started[0].key()).get().commit() == newer
        f.runs.find(started[0].key()).get().branch() == 'main'

        and: 'a head already seen is not built again'
        tickAfterAMinute() == []

        cleanup:
        repo?.close()
    }

    def "a project's reload reads that project and its jobs, not every other project's"() {
        given: '40 projects of two jobs each, one of them scheduled'
        40.times { f.freestyle("p$it", twoJobs) }

        when:
        def read = rowsRead { schedules.reload('p7') }

        then: 'one project row and its two job rows'
        read == [projects: 1, jobs: 2]
        clockKeys().findAll { it.project() == 'p7' } == [ScheduleKey.cron('p7', 'nightly')]
    }

    def "registering every project's schedules reads each project and each job once"() {
        given:
        40.times { f.freestyle("p$it", twoJobs) }
        schedules.@clock.keys().each { schedules.@clock.unregister(it) } // as at the start: nothing registered

        when:
        def read = rowsRead { schedules.reloadAll() }

        then: 'every scheduled job is registered'
        clockKeys().size() == 40
        clockKeys().every { it.job() == 'nightly' }

        and: 'from one read of the projects and one of the jobs'
        read == [projects: 40, jobs: 80]
    }

    private static final String twoJobs = "job('nightly') {\n  triggers { cron '0 3 * * *' }\n  task('t') { sh 'true' }\n}\n" +
            "job('build') {\n  task('t') { sh 'true' }\n}\n"

    /**
     * The rows the statements run during {@code work} returned from the projects and the jobs tables, as H2's own
     * query statistics count them (a statement joining both counts as a read of the jobs).
     */
    private Map<String, Long> rowsRead(Closure work) {
        sql('SET QUERY_STATISTICS FALSE') // which forgets what was counted before
        sql('SET QUERY_STATISTICS TRUE')
        work()
        Map<String, Long> read = [projects: 0L, jobs: 0L]
        f.db.connection().withCloseable { c ->
            def rs = c.createStatement().executeQuery(
                    'SELECT SQL_STATEMENT, CUMULATIVE_ROW_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS')
            while (rs.next()) {
                String statement = rs.getString(1).toLowerCase()
                if (!statement.startsWith('select')) continue
                if (statement =~ /from jobs\b/) read.jobs += rs.getLong(2)
                else if (statement =~ /from projects\b/) read.projects += rs.getLong(2)
            }
        }
        sql('SET QUERY_STATISTICS FALSE')
        read
    }

    private void sql(String statement) {
        f.db.connection().withCloseable { it.createStatement().execute(statement) }
    }

    private List<StartedRun> tickAfterAMinute() {
        f.clock.advance(Duration.ofMinutes(1))
        schedules.tick()
    }

    private List<ScheduleKey> clockKeys() {
        // the schedules' clock is private; its keys show through what a reload registered
        schedules.@clock.keys() as List
    }

    def "a cron tick fires under the same key on servers in different time zones"() {
        given: 'one tick, as a server in Berlin and one in UTC see it'
        def tick = Instant.parse('2026-05-04T03:00:00Z')
        def key = ScheduleKey.cron('app', 'nightly')

        expect:
        Schedules.cronFiring(key, tick.atZone(java.time.ZoneId.of('Europe/Berlin'))) ==
                Schedules.cronFiring(key, tick.atZone(java.time.ZoneOffset.UTC))
        Schedules.cronFiring(key, tick.atZone(java.time.ZoneOffset.UTC)) == 'cron:app/nightly@2026-05-04T03:00:00Z'
    }
}
