package io.stoker.server.db

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import io.stoker.engine.approval.Decision
import io.stoker.engine.approval.Gate
import io.stoker.engine.run.Outcome
import io.stoker.engine.run.RunContext
import io.stoker.engine.run.RunRecord
import io.stoker.engine.run.RunState
import io.stoker.engine.run.TaskRecord
import io.stoker.engine.tests.FailedTest
import io.stoker.engine.tests.FailureKind
import io.stoker.engine.tests.TestSummary
import io.stoker.engine.run.TaskState
import io.stoker.model.Job
import io.stoker.server.Problem
import io.stoker.server.auth.Role
import io.stoker.server.auth.TokenRepository
import io.stoker.server.auth.User
import io.stoker.server.auth.UserRepository
import io.stoker.server.cluster.ServerRegistry
import io.stoker.server.console.PublicProjects
import io.stoker.server.console.SavedViews
import io.stoker.server.endnews.EndTeller
import io.stoker.server.endnews.EndsTold
import io.stoker.server.endnews.QueuedTold
import io.stoker.server.endnews.StartsTold
import io.stoker.server.outbox.DeliveryState
import io.stoker.server.outbox.Endpoint
import io.stoker.server.outbox.Outbox
import io.stoker.server.project.Project
import io.stoker.server.project.ProjectRepository
import io.stoker.server.run.CancelAsked
import io.stoker.server.run.NewRun
import io.stoker.server.run.RunFilter
import io.stoker.server.run.RunRepository
import io.stoker.server.secret.MasterKey
import io.stoker.server.secret.SecretBox
import io.stoker.server.secret.SecretInput
import io.stoker.server.secret.SecretScope
import io.stoker.server.secret.SecretSource
import io.stoker.server.secret.SecretStore
import io.stoker.server.trigger.TriggerState
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset
import java.time.temporal.ChronoUnit
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * What the repositories promise, whichever database holds them: {@link H2StoreSpec} and {@link PostgresStoreSpec}
 * run these same features, so neither store can drift from the other. Each feature gets an empty, migrated store: a
 * copy of one migrated once per spec JVM (the migrations themselves are checked by the migration specs).
 */
abstract class StoreContract extends Specification {
    static final Instant T0 = Instant.parse('2026-11-23T06:00:00Z')

    @TempDir Path dir
    Database db

    /** Opens (creating and migrating) this spec's store; called again after a close, it opens the same one. */
    abstract Database open()

    /** Removes the store after the feature (the PostgreSQL database; H2's temp directory goes by itself). */
    void drop() {
    }

    def setup() {
        db = open()
    }

    def cleanup() {
        db?.close()
        drop()
    }

    static Job job(String name, String... tasks) {
        String body = tasks.collect { "task('$it') { sh 'true' }" }.join('\n')
        (new JobfileCompiler().compile('Jobfile', "job('$name') {\n$body\n}") as CompileResult.Compiled).jobfile().jobs()[0]
    }

    static NewRun newRun(String key, String project, Job job) {
        new NewRun(key, project, job, 'manual', null, 'abc123', 'main', [answer: 42], [by: 'spec'], null, null)
    }

    def "runs are numbered per job from 1, found by key and by number, and listed newest first with a total"() {
        given:
        def runs = new RunRepository(db)
        def build = job('build', 'compile', 'test')

        when:
        def numbers = (1..3).collect { runs.insert(newRun("b$it", 'p', build), T0.plusSeconds(it)) }
        def other = runs.insert(newRun('d1', 'p', job('deploy', 'ship')), T0)

        then:
        numbers == [1L, 2L, 3L]
        other == 1L

        and:
        with(runs.find('b2').orElseThrow()) {
            number() == 2
            status() == RunState.QUEUED
            parameters() == [answer: 42]
            metadata() == [by: 'spec']
            createdAt() == T0.plusSeconds(2)
            startedAt() == null
            tasks()*.name() == ['compile', 'test']
            tasks()*.status() == [TaskState.PENDING, TaskState.PENDING]
        }
        runs.find('p', 'build', 3).orElseThrow().key() == 'b3'
        runs.find('nope').isEmpty()
        runs.model('b1').orElseThrow().name() == 'build'

        when:
        def page = runs.list(new RunFilter('p', 'build', null, null, null, 1, 2))

        then:
        page.total() == 3
        page.runs()*.key() == ['b3', 'b2']
    }

    def "the queue: queued runs oldest first, a start happens once, a cancelled run stays cancelled"() {
        given:
        def runs = new RunRepository(db)
        def build = job('build', 'compile')
        ['q1', 'q2', 'q3'].each { runs.insert(newRun(it, 'p', build), T0) }

        expect:
        runs.queuedKeys() == ['q1', 'q2', 'q3']
        runs.active('p', 'build') == 3

        when:
        boolean first = runs.start('q1', T0.plusSeconds(1))
        boolean again = runs.start('q1', T0.plusSeconds(2))
        boolean cancelled = runs.cancelQueued('q2', 'no longer wanted', T0.plusSeconds(3))

        then:
        first
        !again
        cancelled
        !runs.cancelQueued('q2', 'twice', T0.plusSeconds(4))
        runs.queuedKeys() == ['q3']
        with(runs.find('q2').orElseThrow()) {
            status() == RunState.CANCELLED
            reason() == 'no longer wanted'
            finishedAt() == T0.plusSeconds(3)
            tasks()[0].status() == TaskState.CANCELLED
        }
        runs.find('q1').orElseThrow().startedAt() == T0.plusSeconds(1)
        runs.lastStatuses() == ['p/build': RunState.QUEUED]
    }

    def "runs queued at once from many threads get distinct numbers with no gap"() {
        given:
        def runs = new RunRepository(db)
        def build = job('build', 'compile')
        def pool = Executors.newFixedThreadPool(8)

        when:
        def futures = (1..40).collect { i -> pool.submit({ runs.insert(newRun("c$i", 'p', build), T0) } as Callable<Long>) }
        def numbers = futures.collect { it.get(60, TimeUnit.SECONDS) }

        then:
        numbers.sort() == (1L..40L).toList()

        cleanup:
        pool.shutdownNow()
    }

    def "the engine's saves write every task's state, a second save replaces the first, and a restart fails what was running"() {
        given:
        def runs = new RunRepository(db)
        runs.insert(newRun('r1', 'p', job('build', 'compile', 'test')), T0)
        runs.start('r1', T0)
        def ctx = new RunContext('r1', 1, 'main', 'abc123', 'manual', 'build', 'p')
        def running = new TaskRecord('compile', TaskState.RUNNING, null, 1, [:], 'runs/r1/compile.log', null, T0, null, null)

        when: 'saved with one task running, then with it done and outputs written'
        runs.save(new RunRecord(ctx, RunState.RUNNING, '', [compile: running, test: TaskRecord.pending('test')], T0, T0, null))
        def done = new TaskRecord('compile', TaskState.SUCCEEDED, new Outcome.Succeeded(), 1, [version: '1.2'],
                'runs/r1/compile.log', 'runs/r1/compile.zip', T0, T0.plusSeconds(5), null)
        def test = new TaskRecord('test', TaskState.RUNNING, null, 1, [:], 'runs/r1/test.log', null, T0.plusSeconds(5), null, null)
        runs.save(new RunRecord(ctx, RunState.RUNNING, '', [compile: done, test: test], T0, T0, null))

        then:
        with(runs.find('r1').orElseThrow().tasks()) {
            it*.name() == ['compile', 'test']
            it[0].status() == TaskState.SUCCEEDED
            it[0].exitCode() == 0 || it[0].exitCode() == null
            it[0].outputs() == [version: '1.2']
            it[0].artifactPath() == 'runs/r1/compile.zip'
            it[0].finishedAt() == T0.plusSeconds(5)
            it[1].status() == TaskState.RUNNING
        }

        when: 'the server restarts'
        def interrupted = runs.recover(T0.plusSeconds(9)) { false }

        then:
        interrupted*.key() == ['r1']
        interrupted[0].runningTasks() == ['test']
        with(runs.find('r1').orElseThrow()) {
            status() == RunState.FAILED
            reason() == 'server restarted'
            tasks()[0].status() == TaskState.SUCCEEDED
            tasks()[1].status() == TaskState.FAILED
        }
    }

    def "a task starting while it waits for an agent reads back with what it waits for; a restart fails it like a running one"() {
        given:
        def runs = new RunRepository(db)
        runs.insert(newRun('r1', 'p', job('build', 'gpu')), T0)
        runs.start('r1', T0)
        def ctx = new RunContext('r1', 1, 'main', 'abc123', 'manual', 'build', 'p')
        String why = "waiting for an agent matching 'gpu' (build-1: busy 1/1)"
        def gpu = new TaskRecord('gpu', TaskState.STARTING, null, 1, [:], 'runs/r1/gpu.log', null, null, null, null, [],
                false, why, null)

        when: 'saved by one server, read by another (or after a restart of the UI)'
        runs.save(new RunRecord(ctx, RunState.RUNNING, '', [gpu: gpu], T0, T0, null))

        then:
        with(runs.find('r1').orElseThrow().tasks()[0]) {
            status() == TaskState.STARTING
            reason() == why
            startedAt() == null
        }
        io.stoker.server.run.H2RunStore.record(runs.find('r1').orElseThrow()).task('gpu').waitingFor() == why

        when: 'the server restarts while it waits'
        def interrupted = runs.recover(T0.plusSeconds(9)) { false }

        then: 'its log gets the closing line, and it fails with the restart\'s reason, not the wait\'s'
        interrupted[0].runningTasks() == ['gpu']
        with(runs.find('r1').orElseThrow().tasks()[0]) {
            status() == TaskState.FAILED
            reason() == 'server restarted'
        }
    }

    def "a task saved as an allowed failure reads back as one; a task queued again by a restart is none any more"() {
        given:
        def runs = new RunRepository(db)
        runs.insert(newRun('r1', 'p', job('build', 'lint', 'compile')), T0)
        runs.start('r1', T0)
        def ctx = new RunContext('r1', 1, 'main', 'abc123', 'manual', 'build', 'p')
        def lint = new TaskRecord('lint', TaskState.FAILED, new Outcome.Failed(3, 'exit code 3'), 1, [:],
                'runs/r1/lint.log', null, T0, T0.plusSeconds(1), null, [], true)
        def compile = new TaskRecord('compile', TaskState.RUNNING, null, 1, [:], 'runs/r1/compile.log', null,
                T0.plusSeconds(1), null, null)

        when:
        runs.save(new RunRecord(ctx, RunState.RUNNING, '', [lint: lint, compile: compile], T0, T0, null))

        then:
        with(runs.find('r1').orElseThrow().tasks()) {
            it[0].status() == TaskState.FAILED
            it[0].allowedFailure()
            !it[1].allowedFailure()
        }
        io.stoker.server.run.H2RunStore.record(runs.find('r1').orElseThrow()).task('lint').allowedFailure()

        when: 'a restart queues it again (its job says retryOnRestart)'
        runs.recover(T0.plusSeconds(9)) { it == 'r1' }

        then: 'every task starts over'
        runs.find('r1').orElseThrow().tasks().every { it.status() == TaskState.PENDING && !it.allowedFailure() }
    }

    def "a task's test summary round-trips, long messages included, and a task queued again by a restart has none"() {
        given:
        def runs = new RunRepository(db)
        runs.insert(newRun('r1', 'p', job('build', 'test')), T0)
        runs.start('r1', T0)
        def ctx = new RunContext('r1', 1, 'main', 'abc123', 'manual', 'build', 'p')
        def failures = (1..100).collect {
            new FailedTest('suite', 'com.acme.T', "case$it", it % 2 ? FailureKind.FAILURE : FailureKind.ERROR,
                    'm' * 1000, 'd' * 4000)
        }
        def summary = new TestSummary(312, 150, 50, 5, 61_000L, 3, failures)
        def test = new TaskRecord('test', TaskState.FAILED, new Outcome.Failed(1, 'exit code 1'), 1, [:],
                'runs/r1/test.log', null, T0, T0.plusSeconds(1), null, [], false, null, summary)

        when:
        runs.save(new RunRecord(ctx, RunState.FAILED, '', [test: test], T0, T0, T0.plusSeconds(1)))

        then:
        runs.find('r1').orElseThrow().tasks()[0].tests() == summary
        io.stoker.server.run.H2RunStore.record(runs.find('r1').orElseThrow()).task('test').tests() == summary

        when: 'a restart queues the run again (its job says retryOnRestart)'
        runs.save(new RunRecord(ctx, RunState.RUNNING, '', [test: test], T0, T0, null))
        runs.recover(T0.plusSeconds(9)) { it == 'r1' }

        then: 'the task starts over, without the reports of before'
        runs.find('r1').orElseThrow().tasks()[0].tests() == null
    }

    def "a restart queues a retryOnRestart run again at most three times, and never one whose cancel was asked for"() {
        given:
        def runs = new RunRepository(db)
        runs.insert(newRun('r1', 'p', job('build', 'compile')), T0)

        when: 'r1 is interrupted four times by restarts, its job asking to be queued again each time'
        def ends = (1..4).collect { round ->
            assert runs.start('r1', T0.plusSeconds(round * 10))
            runs.recover(T0.plusSeconds(round * 10 + 5)) { it == 'r1' }.find { it.key() == 'r1' }
        }

        then: 'three times queued again, saying which restart it was; the fourth time failed, saying why'
        ends*.end() == [RunState.QUEUED, RunState.QUEUED, RunState.QUEUED, RunState.FAILED]
        runs.find('r1').orElseThrow().status() == RunState.FAILED
        runs.find('r1').orElseThrow().reason() ==
                'server restarted: not queued again, it was interrupted 4 times (retryOnRestart gives up after 3 restarts)'

        when: 'r2 is being cancelled when the server dies'
        runs.insert(newRun('r2', 'p', job('build', 'compile')), T0.plusSeconds(45))
        runs.start('r2', T0.plusSeconds(45))
        assert runs.askCancel('r2', T0.plusSeconds(50))
        def r2 = runs.recover(T0.plusSeconds(55)) { true }

        then: 'the restart ends it cancelled, its task too, although its job asks to be queued again'
        r2*.end() == [RunState.CANCELLED]
        with(runs.find('r2').orElseThrow()) {
            status() == RunState.CANCELLED
            reason() == 'cancelled: server restarted while the cancel was under way'
            tasks()*.status() == [TaskState.CANCELLED]
        }
        !runs.askCancel('r2', T0.plusSeconds(60)) // only a running run takes a cancel to remember
    }

    def "a run a restart queued again keeps its first start, and its start after the restart is stored beside it"() {
        given: 'a retryOnRestart run started at T0, interrupted by a restart at T0+5 s'
        def runs = new RunRepository(db)
        runs.insert(newRun('r1', 'p', job('build', 'compile')), T0.minusSeconds(1))
        runs.start('r1', T0)
        runs.recover(T0.plusSeconds(5)) { true }

        when: 'it starts again at T0+10 s, and the engine saves its view with its own, later start'
        runs.start('r1', T0.plusSeconds(10))
        def ctx = new RunContext('r1', 1, 'main', 'abc123', 'manual', 'build', 'p')
        runs.save(new RunRecord(ctx, RunState.RUNNING, '', [compile: TaskRecord.pending('compile')],
                T0.minusSeconds(1), T0.plusSeconds(11), null))

        then:
        with(runs.find('r1').orElseThrow()) {
            status() == RunState.RUNNING
            startedAt() == T0
            restartedAt() == T0.plusSeconds(10)
            lastStartedAt() == T0.plusSeconds(10)
        }

        and: 'a run never restarted has no restart'
        runs.insert(newRun('r2', 'p', job('build', 'compile')), T0)
        runs.start('r2', T0.plusSeconds(3))
        with(runs.find('r2').orElseThrow()) {
            startedAt() == T0.plusSeconds(3)
            restartedAt() == null
        }
    }

    def "a run's tag is stored with it: a tag's run has its name and no branch, a branch's run has no tag"() {
        given:
        def runs = new RunRepository(db)
        def release = job('release', 'ship')
        runs.insert(new NewRun('t1', 'p', release, 'push', null, 'abc123', null, [:], null, null, null, null, false,
                null, 'v1.2.0'), T0)
        runs.insert(newRun('b1', 'p', release), T0.plusSeconds(1))

        expect:
        with(runs.find('t1').orElseThrow()) {
            tag() == 'v1.2.0'
            branch() == null
        }
        runs.find('b1').orElseThrow().tag() == null
        runs.list(new RunFilter('p', 'release', null, null, null, 1, 10)).runs()*.tag() == [null, 'v1.2.0']
    }

    def "who asked for a run's cancel is stored with the run, with when: for a queued run and for a running one"() {
        given:
        def runs = new RunRepository(db)
        runs.insert(newRun('q1', 'p', job('build', 'compile')), T0)
        runs.insert(newRun('r1', 'p', job('build', 'compile')), T0)
        runs.start('r1', T0)

        when:
        runs.cancelQueued('q1', 'cancelled before it started', T0.plusSeconds(2), 'rita')
        runs.askCancel('r1', T0.plusSeconds(3), 'sam')
        runs.askCancel('r1', T0.plusSeconds(4), 'admin') // a second cancel of the same run changes nothing

        then:
        runs.find('q1').orElseThrow().cancel() == new CancelAsked('rita', T0.plusSeconds(2))
        runs.find('r1').orElseThrow().cancel() == new CancelAsked('sam', T0.plusSeconds(3))

        and: 'a run nobody cancelled, or the server cancelled, names nobody'
        runs.insert(newRun('q2', 'p', job('build', 'compile')), T0)
        runs.cancelQueued('q2', 'superseded', T0.plusSeconds(5))
        runs.find('q2').orElseThrow().cancel() == null
        runs.list(new RunFilter('p', 'build', null, null, null, 1, 10)).runs().find { it.key() == 'q1' }.cancel().by() == 'rita'
    }

    def "a run taken over from a lost server ends at that server's last heartbeat, never before a task of it started"() {
        given: 'a server whose last heartbeat was at T0+5 s, holding a run started at T0 with one task started before that beat and one after'
        new ServerRegistry(db).register('gone', 'test', 'http://gone', null, T0.plusSeconds(5))
        def runs = new RunRepository(db)
        runs.insert(newRun('r1', 'p', job('build', 'compile', 'test')), T0)
        assert runs.claim('r1', 'gone', 0, T0, Duration.ofSeconds(30))
        def ctx = new RunContext('r1', 1, 'main', 'abc123', 'manual', 'build', 'p')
        def compile = new TaskRecord('compile', TaskState.RUNNING, null, 1, [:], 'runs/r1/compile.log', null, T0.plusSeconds(1), null, null)
        def test = new TaskRecord('test', TaskState.RUNNING, null, 1, [:], 'runs/r1/test.log', null, T0.plusSeconds(7), null, null)
        assert new RunRepository(db, 'gone').save(new RunRecord(ctx, RunState.RUNNING, '', [compile: compile, test: test], T0, T0, null))

        when: 'its lease ends and another server takes the run over an hour later'
        runs.expireLeases('gone')
        def taken = runs.takeOverLost(T0.plusSeconds(3600)) { false }

        then: 'the task running at the last heartbeat ends there; the one started after it ends at its start, and so does the run'
        taken*.key() == ['r1']
        with(runs.find('r1').orElseThrow()) {
            status() == RunState.FAILED
            reason() == 'server gone lost'
            finishedAt() == T0.plusSeconds(7)
            tasks()*.finishedAt() == [T0.plusSeconds(5), T0.plusSeconds(7)]
        }
    }

    def "a task's approval gate is saved with its decision, and a restart queues a run that only waited at one to resume as it was"() {
        given:
        def runs = new RunRepository(db)
        runs.insert(newRun('g1', 'p', job('deploy', 'build', 'ship', 'hotfix')), T0)
        runs.start('g1', T0)
        def ctx = new RunContext('g1', 1, 'main', 'abc123', 'manual', 'deploy', 'p')
        def open = Gate.waiting('Deploy to prod?', ['rita', 'admin'], T0.plusSeconds(3600))
        def decided = open.decided(Decision.approved('rita', 'ship it'), T0.plusSeconds(60))
        def build = new TaskRecord('build', TaskState.SUCCEEDED, new Outcome.Succeeded(), 1, [version: '1.2'],
                'runs/g1/build.log', null, T0, T0.plusSeconds(5), null)

        when:
        runs.save(new RunRecord(ctx, RunState.RUNNING, '', [
                build : build,
                ship  : new TaskRecord('ship', TaskState.QUEUED, null, 0, [:], 'runs/g1/ship.log', null, null, null, decided),
                hotfix: new TaskRecord('hotfix', TaskState.WAITING, null, 0, [:], 'runs/g1/hotfix.log', null, null, null, open)],
                T0, T0, null))

        then:
        with(runs.find('g1').orElseThrow().tasks()) {
            it[1].approval() == decided
            it[2].status() == TaskState.WAITING
            it[2].approval() == open
        }

        when: 'the server restarts: no task of the run was running'
        def interrupted = runs.recover(T0.plusSeconds(90)) { false }

        then: 'the run is queued to resume, its tasks and gates as they were'
        interrupted*.key() == ['g1']
        interrupted[0].resumed()
        !interrupted[0].requeued()
        interrupted[0].runningTasks() == ['hotfix']
        with(runs.find('g1').orElseThrow()) {
            status() == RunState.QUEUED
            startedAt() == T0
            finishedAt() == null
            tasks()*.status() == [TaskState.SUCCEEDED, TaskState.QUEUED, TaskState.WAITING]
            tasks()[0].attempts() == 1
            tasks()[0].outputs() == [version: '1.2']
            tasks()[1].approval() == decided
            tasks()[2].approval() == open
        }

        when: 'it is cancelled before it starts again'
        runs.cancelQueued('g1', 'cancelled before it started', T0.plusSeconds(95))

        then: 'its unfinished tasks end with it; the one that ended keeps its end'
        with(runs.find('g1').orElseThrow()) {
            status() == RunState.CANCELLED
            tasks()*.status() == [TaskState.SUCCEEDED, TaskState.CANCELLED, TaskState.CANCELLED]
        }
    }

    def "a lost server's run that only waited at its gate is queued to resume by the server taking it over"() {
        given: 'a run held by a server that is gone, its build ended and its ship task waiting at a gate'
        new ServerRegistry(db).register('gone', 'test', 'http://gone', null, T0.plusSeconds(5))
        def runs = new RunRepository(db)
        runs.insert(newRun('g3', 'p', job('deploy', 'build', 'ship')), T0)
        assert runs.claim('g3', 'gone', 0, T0, Duration.ofSeconds(30))
        def ctx = new RunContext('g3', 1, 'main', 'abc123', 'manual', 'deploy', 'p')
        def open = Gate.waiting('Deploy to prod?', [], T0.plusSeconds(3600))
        assert new RunRepository(db, 'gone').save(new RunRecord(ctx, RunState.RUNNING, '', [
                build: new TaskRecord('build', TaskState.SUCCEEDED, new Outcome.Succeeded(), 1, [:], 'runs/g3/build.log', null, T0, T0.plusSeconds(2), null),
                ship : new TaskRecord('ship', TaskState.WAITING, null, 0, [:], 'runs/g3/ship.log', null, null, null, open)],
                T0, T0, null))

        when: 'its lease ends and another server takes it over'
        runs.expireLeases('gone')
        def taken = runs.takeOverLost(T0.plusSeconds(3600)) { false }

        then: 'it is queued, its tasks and gate as they were'
        taken*.key() == ['g3']
        taken[0].resumed()
        taken[0].reason() == 'server gone lost'
        with(runs.find('g3').orElseThrow()) {
            status() == RunState.QUEUED
            tasks()*.status() == [TaskState.SUCCEEDED, TaskState.WAITING]
            tasks()[1].approval() == open
        }
    }

    def "a restart fails a run that had a task #state, its gate waiting or not"() {
        given: 'a run with one task running (or handed to an agent it waits for) and one waiting at its gate'
        def runs = new RunRepository(db)
        runs.insert(newRun('g2', 'p', job('deploy', 'build', 'hotfix')), T0)
        runs.start('g2', T0)
        def ctx = new RunContext('g2', 1, 'main', 'abc123', 'manual', 'deploy', 'p')
        def open = Gate.waiting('Deploy to prod?', [], T0.plusSeconds(3600))
        runs.save(new RunRecord(ctx, RunState.RUNNING, '', [
                build : new TaskRecord('build', state, null, 1, [:], 'runs/g2/build.log', null, T0, null, null, [],
                        false, state == TaskState.STARTING ? "waiting for an agent matching 'gpu'" : null, null),
                hotfix: new TaskRecord('hotfix', TaskState.WAITING, null, 0, [:], 'runs/g2/hotfix.log', null, null, null, open)],
                T0, T0, null))

        when:
        def interrupted = runs.recover(T0.plusSeconds(90)) { false }

        then:
        !interrupted[0].resumed()
        interrupted[0].runningTasks() == ['build', 'hotfix']
        with(runs.find('g2').orElseThrow()) {
            status() == RunState.FAILED
            reason() == 'server restarted'
            tasks()*.status() == [TaskState.FAILED, TaskState.CANCELLED]
            tasks()[1].reason() == 'server restarted'
            tasks()[1].approval().isWaiting()
        }

        where:
        state << [TaskState.RUNNING, TaskState.STARTING]
    }

    def "the outbox keeps each run's receivers with sealed credentials and hands out only the head of each line"() {
        given:
        def outbox = new Outbox(db, box(), Clock.fixed(T0, ZoneOffset.UTC))
        def hook = new Endpoint('https://ci.example/hook', 'Basic dXNlcjpwdw==')
        def plain = new Endpoint('https://other.example/hook', null)

        when:
        outbox.subscribe('r1', 'status', [hook, plain])
        long first = outbox.enqueue('r1', 'status', hook, '{"n":1}')
        long second = outbox.enqueue('r1', 'status', hook, '{"n":2}')
        long elsewhere = outbox.enqueue('r1', 'status', plain, '{"n":1}')

        then:
        outbox.targets('r1', 'status') == [hook, plain]
        second > first
        outbox.due(T0, 10)*.delivery()*.id() == [first, elsewhere]
        outbox.due(T0, 10)[0].endpoint().authorization() == 'Basic dXNlcjpwdw=='

        when: 'the first is delivered'
        outbox.attempted(first, 1, 200, null, DeliveryState.DELIVERED, null)

        then: 'the second moves up'
        outbox.due(T0, 10)*.delivery()*.id() == [second, elsewhere]
        with(outbox.list('r1')) {
            it*.id() == [first, second, elsewhere]
            it[0].state() == DeliveryState.DELIVERED
            it[0].attempts() == 1
            it[0].history()*.status() == [200]
            it[1].payload() == '{"n":2}'
        }
        outbox.expire(T0.plusSeconds(1)) == 2
    }

    def "a signed receiver's key is kept sealed and given back only for signing; under another master key it is unusable, not absent"() {
        given:
        def outbox = new Outbox(db, box(), Clock.fixed(T0, ZoneOffset.UTC))
        def signed = new Endpoint('https://ci.example/signed', null).signedWith('whsec-store-4711')
        def plain = new Endpoint('https://ci.example/plain', null)

        when:
        outbox.subscribe('r1', 'status', [signed, plain])
        outbox.enqueue('r1', 'status', signed, '{"n":1}')
        outbox.enqueue('r1', 'status', plain, '{"n":1}')

        then: 'the sender gets the key back; the listing only says which are signed'
        outbox.targets('r1', 'status')*.signingSecret() == ['whsec-store-4711', null]
        outbox.due(T0, 10)*.endpoint()*.signingSecret() == ['whsec-store-4711', null]
        outbox.list('r1')*.signed() == [true, false]

        when: 'the master key is another one (a data directory moved without its key file)'
        java.nio.file.Files.createDirectories(dir.resolve('other-key'))
        def moved = new Outbox(db, new SecretBox(MasterKey.load(dir.resolve('other-key'), [:])), Clock.fixed(T0, ZoneOffset.UTC))

        then: 'a signed receiver stays signed, with a key that cannot sign: the sender refuses it rather than send it unsigned'
        moved.targets('r1', 'status')*.signingSecret() == ['', null]
        moved.due(T0, 10)*.endpoint()*.signingSecret() == ['', null]
    }

    def "a due delivery is sent by the one sender that claims it: servers sharing the outbox do not both send it"() {
        given: 'a delivery both servers of a cluster find due'
        def outbox = new Outbox(db, box(), Clock.fixed(T0, ZoneOffset.UTC))
        long id = outbox.enqueue('r1', 'status', new Endpoint('https://ci.example/hook', null), '{"n":1}')
        def seenByA = outbox.due(T0, 10)[0].delivery()
        def seenByB = outbox.due(T0, 10)[0].delivery()

        expect: 'one claims it, the other cannot'
        outbox.claim(seenByA, T0, T0.plusSeconds(120))
        !outbox.claim(seenByB, T0, T0.plusSeconds(120))

        and: 'claimed, it is due to nobody until the claim runs out (its sender died), then due again'
        outbox.due(T0.plusSeconds(60), 10).isEmpty()
        outbox.due(T0.plusSeconds(121), 10)*.delivery()*.id() == [id]

        when: 'claimed again and given back by a sender that is closing'
        def again = outbox.due(T0.plusSeconds(121), 10)[0].delivery()
        assert outbox.claim(again, T0.plusSeconds(121), T0.plusSeconds(241))
        outbox.release(again, T0.plusSeconds(122))

        then: 'it is due at once'
        outbox.due(T0.plusSeconds(122), 10)*.delivery()*.id() == [id]

        when: 'an attempt is recorded: a claim made on what was seen before it fails'
        outbox.attempted(id, 1, 500, 'HTTP 500', DeliveryState.PENDING, T0.plusSeconds(130))

        then:
        !outbox.claim(again, T0.plusSeconds(140), T0.plusSeconds(260))
        outbox.claim(outbox.due(T0.plusSeconds(140), 10)[0].delivery(), T0.plusSeconds(140), T0.plusSeconds(260))
    }

    def "the deliveries a lost server claimed are due again at once; a live server's claims and a closed sender's stay as they were"() {
        given: 'two servers of a cluster sharing the outbox, each sending one delivery, and a third delivery waiting'
        def a = new Outbox(db, box(), Clock.fixed(T0, ZoneOffset.UTC), 'server-a')
        def b = new Outbox(db, box(), Clock.fixed(T0, ZoneOffset.UTC), 'server-b')
        def hook = { String n -> new Endpoint("https://ci.example/$n", null) }
        long byA = a.enqueue('r1', 'status', hook('a'), '{"n":1}')
        long byB = b.enqueue('r2', 'status', hook('b'), '{"n":2}')
        assert a.claim(a.due(T0, 10).find { it.delivery().id() == byA }.delivery(), T0, T0.plusSeconds(90))
        assert b.claim(b.due(T0, 10).find { it.delivery().id() == byB }.delivery(), T0, T0.plusSeconds(90))
        long waiting = a.enqueue('r3', 'status', hook('c'), '{"n":3}')
        assert b.due(T0.plusSeconds(1), 10)*.delivery()*.id() == [waiting]

        when: 'the cluster finds server-a lost (and one it forgot long ago)'
        int released = b.releaseClaimsOf(['server-a', 'server-gone'], T0.plusSeconds(2))

        then: 'what server-a was sending is due now, not when its claim runs out; server-b\'s is still its own'
        released == 1
        b.due(T0.plusSeconds(2), 10)*.delivery()*.id() as Set == [byA, waiting] as Set

        when: 'server-b claims it, sends it, and is later found lost itself'
        def taken = b.due(T0.plusSeconds(2), 10).find { it.delivery().id() == byA }.delivery()
        assert b.claim(taken, T0.plusSeconds(2), T0.plusSeconds(92))
        b.attempted(byA, 1, 200, null, DeliveryState.DELIVERED, null)

        then: 'a delivery it finished is not its claim any more; the one it still holds is released'
        b.releaseClaimsOf(['server-b'], T0.plusSeconds(3)) == 1
        b.due(T0.plusSeconds(3), 10)*.delivery()*.id() as Set == [byB, waiting] as Set
    }

    def "a server starting alone gives up the claims of the servers not alive, never its own or a live one's"() {
        given: 'deliveries claimed by a killed server, by this one and by a live one, and one waiting for its retry'
        def names = ['server-killed', 'server-self', 'server-live']
        Map<String, Outbox> outboxes = names.collectEntries { [(it): new Outbox(db, box(), Clock.fixed(T0, ZoneOffset.UTC), it)] }
        Map<String, Long> claimed = names.collectEntries { n ->
            long id = outboxes[n].enqueue("r-$n", 'status', new Endpoint("https://ci.example/$n", null), '{}')
            assert outboxes[n].claim(outboxes[n].due(T0, 10).find { it.delivery().id() == id }.delivery(), T0, T0.plusSeconds(180))
            [(n): id]
        }
        def self = outboxes['server-self']
        long retrying = self.enqueue('r-retry', 'status', new Endpoint('https://ci.example/retry', null), '{}')
        self.attempted(retrying, 1, 500, 'HTTP 500', DeliveryState.PENDING, T0.plusSeconds(60))

        when:
        int released = self.releaseClaimsNotOf(['server-self', 'server-live'] as Set, T0.plusSeconds(1))

        then: 'only the killed server\'s claim is due again now; the retry keeps its time'
        released == 1
        self.due(T0.plusSeconds(1), 10)*.delivery()*.id() == [claimed['server-killed']]
        self.due(T0.plusSeconds(61), 10)*.delivery()*.id() as Set == [claimed['server-killed'], retrying] as Set
    }

    def "users and tokens: names are unique, flags and times round-trip, a refresh token rotates once"() {
        given:
        def users = new UserRepository(db)
        def tokens = new TokenRepository(db)
        def ann = new User('ann', Role.DEVELOPER, true, T0, T0)

        expect:
        users.insert(ann, 'hash-1')
        !users.insert(ann, 'hash-2')
        users.passwordHash('ann').orElseThrow() == 'hash-1'

        when:
        users.setEnabled('ann', false)
        users.setRole('ann', Role.ADMIN)

        then:
        users.all() == [new User('ann', Role.ADMIN, false, T0, T0)]

        when:
        tokens.insertRefresh('h1', 'fam', 'ann', T0, T0.plus(1, ChronoUnit.DAYS))
        def old = tokens.refresh('h1').orElseThrow()

        then:
        tokens.rotate(old, 'h2', T0.plusSeconds(1), T0.plus(2, ChronoUnit.DAYS))
        !tokens.rotate(old, 'h3', T0.plusSeconds(2), T0.plus(2, ChronoUnit.DAYS))
        tokens.refresh('h1').orElseThrow().revokedAt() == T0.plusSeconds(1)
        tokens.revokeFamily('fam', T0.plusSeconds(3)) == 1

        and: 'API tokens are unique per user and name'
        tokens.insertApi('ann', 'ci', 'a1', T0, null, null)
        !tokens.insertApi('ann', 'ci', 'a2', T0, null, null)
        tokens.api('a1').orElseThrow().name() == 'ci'
        tokens.api('a1').orElseThrow().role() == null

        and: 'a token limited to a role keeps it'
        tokens.insertApi('ann', 'dash', 'a3', T0, null, Role.VIEWER)
        tokens.api('a3').orElseThrow().role() == Role.VIEWER
        tokens.apiTokens('ann')*.name() == ['ci', 'dash']
        tokens.apiTokens('ann')*.role() == [null, Role.VIEWER]

        and: 'a deleted user takes its tokens along'
        users.delete('ann')
        tokens.api('a1').isEmpty()
    }

    def "secrets: sealed values and Vault references round-trip, a name is unique per scope, a project's own wins"() {
        given:
        def projects = new ProjectRepository(db, box())
        projects.insert(new Project(0, 'web', null, null, "job('j') { task('t') { sh 'true' } }", 'Jobfile', null, T0, T0,
                null, null, null, false, false), [job('j', 't')])
        def secrets = new SecretStore(db, box(), Clock.fixed(T0, ZoneOffset.UTC))

        when:
        secrets.create(new SecretInput('TOKEN', SecretScope.GLOBAL, new SecretSource.Value('global-value'), null), 'admin')
        secrets.create(new SecretInput('TOKEN', SecretScope.of('web'), new SecretSource.Value('own-value'), null), 'ann')
        secrets.create(new SecretInput('DB', SecretScope.GLOBAL, new SecretSource.VaultRef('kv/db', 'password'), ['web']), 'admin')

        then:
        (secrets.readable('web', 'TOKEN').orElseThrow().source() as SecretSource.Value).value() == 'own-value'
        (secrets.readable('other', 'TOKEN').orElseThrow().source() as SecretSource.Value).value() == 'global-value'
        secrets.readable('web', 'DB').orElseThrow().source() == new SecretSource.VaultRef('kv/db', 'password')
        secrets.readable('other', 'DB').isEmpty()
        secrets.list(SecretScope.GLOBAL)*.name() == ['DB', 'TOKEN']
        secrets.find(SecretScope.of('web'), 'TOKEN').orElseThrow().createdAt() == T0

        when: 'the same name again in the same scope'
        secrets.create(new SecretInput('TOKEN', SecretScope.GLOBAL, new SecretSource.Value('x'), null), 'admin')

        then:
        def e = thrown(Problem)
        e.status() == 409

        when: 'the project goes'
        projects.delete('web')

        then: 'its secrets go with it'
        secrets.find(SecretScope.of('web'), 'TOKEN').isEmpty()
    }

    def "a project's own webhook secret is stored sealed, and one stored in clear before is sealed once"() {
        given:
        def projects = new ProjectRepository(db, box())
        def project = { long id, String name, String secret -> new Project(id, name, null, null,
                "job('j') { task('t') { sh 'true' } }", 'Jobfile', null, T0, T0, secret, null, null, false, false) }
        projects.insert(project(0, 'web', 'web-hook-secret'), [job('j', 't')])
        projects.insert(project(0, 'old', null), [job('j', 't')])
        db.connection().withCloseable { c -> // as versions before sealing wrote it
            c.createStatement().withCloseable {
                it.executeUpdate("UPDATE projects SET webhook_secret = 'old-clear-secret' WHERE name = 'old'")
            }
        }

        expect: 'what is written is sealed, and reads back opened; the clear value of before still reads'
        projects.find('web').orElseThrow().webhookSecret() == 'web-hook-secret'
        stored('web').clear == null
        !new String(stored('web').sealed as byte[], 'ISO-8859-1').contains('web-hook-secret')
        projects.find('old').orElseThrow().webhookSecret() == 'old-clear-secret'

        when: 'the start seals what is in clear'
        def sealed = projects.sealClearWebhookSecrets()

        then:
        sealed == 1
        stored('old').clear == null
        !new String(stored('old').sealed as byte[], 'ISO-8859-1').contains('old-clear-secret')
        projects.find('old').orElseThrow().webhookSecret() == 'old-clear-secret'
        projects.sealClearWebhookSecrets() == 0

        when: 'a sealed value copied to another project does not open there'
        db.connection().withCloseable { c ->
            c.createStatement().withCloseable {
                it.executeUpdate("UPDATE projects SET webhook_secret_sealed = (SELECT webhook_secret_sealed FROM projects "
                        + "WHERE name = 'web') WHERE name = 'old'")
            }
        }

        then: 'nor does it fall back to none (the server default): no delivery verifies until the secret is set again'
        with(projects.find('old').orElseThrow().webhookSecret()) {
            it != null
            it != 'web-hook-secret'
        }

        when: 'a PUT removes the secret'
        projects.update(project(projects.find('web').orElseThrow().id(), 'web', null), [job('j', 't')])

        then:
        projects.find('web').orElseThrow().webhookSecret() == null
        stored('web').sealed == null
    }

    /** The project's stored webhook secret columns, as a copy of the database shows them. */
    private Map stored(String project) {
        db.connection().withCloseable { c ->
            def s = c.prepareStatement('SELECT webhook_secret, webhook_secret_sealed FROM projects WHERE name = ?')
            s.setString(1, project)
            def rs = s.executeQuery()
            assert rs.next()
            [clear: rs.getString(1), sealed: rs.getBytes(2)]
        }
    }

    def "what is written twice by key is replaced, not duplicated: trigger ticks, public projects, saved views"() {
        given:
        def ticks = new TriggerState(db)
        def open = new PublicProjects(db)
        def views = new SavedViews(db)

        when:
        ticks.saveTick('cron', T0)
        ticks.saveTick('cron', T0.plusSeconds(60))
        2.times { open.set('web', true) }
        views.save('ann', new SavedViews.View('mine', 'web/*'), T0)
        views.save('ann', new SavedViews.View('mine', 'api/*'), T0)

        then:
        ticks.lastTick('cron').orElseThrow() == T0.plusSeconds(60)
        open.all() == ['web'] as Set
        views.of('ann') == [new SavedViews.View('mine', 'api/*')]
    }

    def "project names are one name whatever their letter case, also where a store held two such names before"() {
        given:
        def projects = new ProjectRepository(db, box())
        def project = { String name -> new Project(0, name, null, null, "job('j') { task('t') { sh 'true' } }",
                'Jobfile', null, T0, T0, null, null, null, false, false) }

        expect: 'a name taken in another letter case is taken'
        projects.insert(project('Demo'), [job('j', 't')])
        !projects.insert(project('demo'), [job('j', 't')])
        !projects.insert(project('Demo'), [job('j', 't')])
        projects.nameTaken('DEMO') == Optional.of('Demo')
        projects.nameTaken('other') == Optional.empty()

        when: 'a store from before the folded name (V115) holds Demo and demo, and is migrated again'
        sql('DROP INDEX projects_name_folded_unique', 'ALTER TABLE projects DROP COLUMN name_folded',
                "INSERT INTO projects (name, jobfile, jobfile_name, created_at, updated_at)"
                        + " VALUES ('demo', 'x', 'Jobfile', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
        migrate('V115__project_name_folded.sql')
        projects = new ProjectRepository(db, box())

        then: 'the migration keeps both, and no third name of the kind joins them'
        projects.find('Demo').isPresent()
        projects.find('demo').isPresent()
        !projects.insert(project('dEMO'), [job('j', 't')])
        projects.nameTaken('dEMO') == Optional.of('Demo')

        and: 'a name of another kind is added as ever'
        projects.insert(project('demo2'), [job('j', 't')])
    }

    def "a run's end is told once per teller: of tellers racing one queues its messages, and what none told is listed"() {
        given: 'a run that ended and one still running'
        def runs = new RunRepository(db)
        def outbox = new Outbox(db, box(), Clock.fixed(T0, ZoneOffset.UTC))
        def ends = new EndsTold(db)
        def hook = new Endpoint('https://ci.example/hook', null)
        runs.insert(newRun('ended', 'p', job('build', 'compile')), T0)
        runs.insert(newRun('going', 'p', job('build', 'compile')), T0)
        assert runs.cancelQueued('ended', 'no longer wanted', T0.plusSeconds(1))
        assert runs.start('going', T0)

        expect: 'only the ended run is untold, by every teller'
        with(ends.untold(10)) {
            it*.run() == ['ended']
            it[0].state() == RunState.CANCELLED
            it[0].left() == EndTeller.values() as Set
        }

        when: 'eight servers tell its status webhooks at once'
        int first = race { i -> ends.once('ended', EndTeller.STATUS_WEBHOOKS, { c -> outbox.enqueue(c, 'ended', 'status', hook, "{\"by\":$i}") }) }

        then: 'one did, and queued the only message'
        first == 1
        outbox.list('ended').size() == 1
        ends.untold(10)[0].left() == [EndTeller.NOTIFICATIONS, EndTeller.COMMIT_STATUSES, EndTeller.AFTER_TRIGGERS] as Set

        when: 'a teller fails while it queues'
        ends.once('ended', EndTeller.NOTIFICATIONS, { c ->
            outbox.enqueue(c, 'ended', 'ntfy', hook, '{}')
            throw new java.sql.SQLException('the store went away')
        })

        then: 'neither its message nor its mark stays: it is still to tell'
        thrown(java.sql.SQLException)
        outbox.list('ended').size() == 1
        EndTeller.NOTIFICATIONS in ends.untold(10)[0].left()

        when: 'the others tell it, or had nothing to tell'
        ends.told('ended', EndTeller.NOTIFICATIONS)
        ends.told('ended', EndTeller.COMMIT_STATUSES)
        ends.gaveUp('ended', EndTeller.AFTER_TRIGGERS)

        then: 'nothing is left to tell, and a teller asked again queues nothing'
        ends.untold(10).isEmpty()
        !ends.once('ended', EndTeller.STATUS_WEBHOOKS, { c -> outbox.enqueue(c, 'ended', 'status', hook, '{}') })
        outbox.list('ended').size() == 1
    }

    def "runs that had ended before ends were marked told (V116) are not told again; runs going then are, when they end"() {
        given: 'a store from before the mark, holding a run that had ended and one still running'
        def runs = new RunRepository(db)
        runs.insert(newRun('old', 'p', job('build', 'compile')), T0)
        runs.insert(newRun('going', 'p', job('build', 'compile')), T0)
        assert runs.cancelQueued('old', 'no longer wanted', T0)
        assert runs.start('going', T0)
        sql('DROP INDEX runs_end_told', 'ALTER TABLE runs DROP COLUMN end_told')

        when: 'it is migrated, and the running run ends'
        migrate('V116__run_end_told.sql')
        assert runs.failToStart('going', 'no agent', T0.plusSeconds(5))

        then: 'only the run that ended after the migration is untold'
        new EndsTold(db).untold(10)*.run() == ['going']
    }

    def "a run's start is told once per teller, never after that teller told the run's end, and anew at each start"() {
        given: 'a run that started and one still queued'
        def runs = new RunRepository(db)
        def outbox = new Outbox(db, box(), Clock.fixed(T0, ZoneOffset.UTC))
        def starts = new StartsTold(db)
        def ends = new EndsTold(db)
        def hook = new Endpoint('https://ci.example/hook', null)
        runs.insert(newRun('going', 'p', job('build', 'compile')), T0)
        runs.insert(newRun('waits', 'p', job('build', 'compile')), T0)
        assert runs.start('going', T0)
        def starters = [EndTeller.STATUS_WEBHOOKS, EndTeller.NOTIFICATIONS, EndTeller.COMMIT_STATUSES] as Set

        expect: 'only the started run is untold, by each teller of starts (an after-trigger waits for the end)'
        with(starts.untold(10)) {
            it*.run() == ['going']
            it[0].started() == T0
            it[0].ended() == null
            it[0].left() == starters
            it[0].moot().isEmpty()
        }

        when: 'eight servers tell its status webhooks at once'
        int first = race { i -> starts.once('going', EndTeller.STATUS_WEBHOOKS, { c -> outbox.enqueue(c, 'going', 'status', hook, "{\"by\":$i}") }) }

        then: 'one did, and queued the only message'
        first == 1
        outbox.list('going').size() == 1
        starts.untold(10)[0].left() == [EndTeller.NOTIFICATIONS, EndTeller.COMMIT_STATUSES] as Set

        when: 'the notifications told the run\'s end first (its start was held up), then hear the start'
        ends.told('going', EndTeller.NOTIFICATIONS)
        boolean late = starts.once('going', EndTeller.NOTIFICATIONS, { c -> outbox.enqueue(c, 'going', 'ntfy', hook, '{}') })

        then: 'it is not queued, and not asked again'
        !late
        outbox.list('going').size() == 1
        starts.untold(10)[0].left() == [EndTeller.COMMIT_STATUSES] as Set

        when: 'the commit statuses told the end too'
        ends.told('going', EndTeller.COMMIT_STATUSES)

        then: 'their start is moot: listed as such, to be marked without being told'
        starts.untold(10)[0].left().isEmpty()
        starts.untold(10)[0].moot() == [EndTeller.COMMIT_STATUSES] as Set

        when: 'it is marked, and the run is queued again (a restart) and starts again'
        starts.told('going', EndTeller.COMMIT_STATUSES)
        assert starts.untold(10).isEmpty()
        sql("UPDATE runs SET status = 'queued', end_told = 0 WHERE run_key = 'going'")
        def queuedAgain = starts.untold(10)
        assert runs.start('going', T0.plusSeconds(60))

        then: 'its new start is every teller\'s to tell again, and not while it waits to start'
        queuedAgain.isEmpty()
        starts.untold(10)*.run() == ['going']
        starts.untold(10)[0].left() == starters
    }

    def "a run's queued is told once per teller of it, never after that teller told the run's start, and untold while it waits"() {
        given: 'a run saved (queued) and one that went on'
        def runs = new RunRepository(db)
        def outbox = new Outbox(db, box(), Clock.fixed(T0, ZoneOffset.UTC))
        def queued = new QueuedTold(db)
        def starts = new StartsTold(db)
        def hook = new Endpoint('https://ci.example/statuses', null)
        runs.insert(newRun('waits', 'p', job('build', 'compile')), T0)
        runs.insert(newRun('went-on', 'p', job('build', 'compile')), T0.plusSeconds(1))

        expect: 'both are untold, by the commit statuses alone (the status webhooks tell theirs as its receivers are saved)'
        with(queued.untold(10)) {
            it*.run() == ['waits', 'went-on']
            it[0].queued() == T0
            it.every { u -> u.left() == [EndTeller.COMMIT_STATUSES] as Set && u.moot().isEmpty() }
        }

        when: 'eight servers tell the waiting one at once'
        int first = race { i -> queued.once('waits', EndTeller.COMMIT_STATUSES, { c -> outbox.enqueue(c, 'waits', 'commit-status', hook, "{\"by\":$i}") }) }

        then: 'one did, and queued the only message'
        first == 1
        outbox.list('waits').size() == 1
        queued.untold(10)*.run() == ['went-on']

        when: 'the other starts, and the commit statuses tell its start before they hear it was queued'
        assert runs.start('went-on', T0.plusSeconds(2))
        starts.told('went-on', EndTeller.COMMIT_STATUSES)
        def moot = queued.untold(10)
        boolean late = queued.once('went-on', EndTeller.COMMIT_STATUSES, { c -> outbox.enqueue(c, 'went-on', 'commit-status', hook, '{}') })

        then: 'its queued is moot: listed as such, and not queued when heard, but marked'
        moot[0].left().isEmpty()
        moot[0].moot() == [EndTeller.COMMIT_STATUSES] as Set
        !late
        outbox.list('went-on').isEmpty()
        queued.untold(10).isEmpty()
    }

    def "runs that had started before starts were marked told (V118) are not told again; a run starting after it is"() {
        given: 'a store from before the mark, holding a run that had started and one still queued'
        def runs = new RunRepository(db)
        runs.insert(newRun('old', 'p', job('build', 'compile')), T0)
        runs.insert(newRun('queued', 'p', job('build', 'compile')), T0)
        assert runs.start('old', T0)
        sql('DROP INDEX runs_start_told', 'ALTER TABLE runs DROP COLUMN start_told', 'ALTER TABLE deliveries DROP COLUMN claimed_by')

        when: 'it is migrated, and the queued run starts (on a server of a cluster)'
        migrate('V118__start_told_delivery_claims.sql')
        assert runs.claim('queued', 'server-a', 0, T0.plusSeconds(5), Duration.ofSeconds(30))

        then: 'only the run that started after the migration is untold'
        with(new StartsTold(db).untold(10)) {
            it*.run() == ['queued']
            it[0].heldBy() == 'server-a'
        }
    }

    /** Runs {@code tell} (given 1 to 8) on eight threads let go at once, as eight servers; how many returned true. */
    private static int race(Closure<Boolean> tell) {
        def pool = Executors.newFixedThreadPool(8)
        def go = new java.util.concurrent.CountDownLatch(1)
        try {
            def told = (1..8).collect { i -> pool.submit({ go.await(); tell(i) } as Callable<Boolean>) }
            go.countDown()
            told.count { it.get(60, TimeUnit.SECONDS) } as int
        } finally {
            pool.shutdown()
        }
    }

    /**
     * Runs one migration file's statements again, as Flyway would on a store from before it (whatever migrations came
     * after it, which Flyway would refuse to run out of order).
     */
    private void migrate(String file) {
        String text = getClass().getResource("/db/migration/$file").text
        sql(text.readLines().findAll { !it.startsWith('--') }.join('\n').split(';')*.trim().findAll() as String[])
    }

    private void sql(String... statements) {
        db.connection().withCloseable { c ->
            c.createStatement().withCloseable { s -> statements.each { s.executeUpdate(it) } }
        }
    }

    def "a store a newer Stoker has migrated is refused with one sentence naming both versions"() {
        given: 'a migration this server does not ship, recorded as applied'
        db.connection().withCloseable { c ->
            c.createStatement().withCloseable {
                it.executeUpdate('INSERT INTO "flyway_schema_history" ("installed_rank", "version", "description", "type", '
                        + '"script", "checksum", "installed_by", "execution_time", "success") VALUES (9999, \'9999\', '
                        + '\'from the future\', \'SQL\', \'V9999__from_the_future.sql\', 0, \'spec\', 1, TRUE)')
            }
        }
        db.close()

        when:
        db = open()

        then:
        def e = thrown(IllegalStateException)
        e.message ==~ /the database schema is at version 9999, newer than this Stoker knows \(up to \d+\): start the Stoker release that migrated it, or a newer one/
    }

    private SecretBox box() {
        new SecretBox(MasterKey.load(dir, [:]))
    }
}
