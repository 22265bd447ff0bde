package io.stoker.engine.run

import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.fixtures.FakeExecutor
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Timeout
import spock.lang.TempDir

import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

import static io.stoker.engine.fixtures.EngineFixture.await
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/** Scheduling decisions, observed on the fake executor (no processes). */
@Timeout(60) // a hang is a failure, not a stuck build
class SchedulerSpec extends Specification {

    @TempDir
    Path tmp

    FakeExecutor fake = new FakeExecutor()

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp, fake)
    }

    def "tasks start in dependency order"() {
        when:
        def run = f.run(job('j',
                task('deploy', [needs: ['build', 'test']], 'd'),
                task('test', [needs: ['build']], 't'),
                task('build', 'b')))

        then:
        run.state() == RunState.SUCCEEDED
        fake.started() == ['build', 'test', 'deploy']
    }

    def "independent tasks wait for a free slot beyond the parallel limit"() {
        given:
        ['a', 'b', 'c'].each { n -> fake.on(n) { hold = true } }
        def handle = f.engine.start(f.request(job('j', task('a', 'x'), task('b', 'x'), task('c', 'x')), [parallel: 2]),
                RunListener.NONE)

        expect: 'two start, the third waits queued'
        await(5000) { fake.started().size() == 2 }
        fake.started() as Set == ['a', 'b'] as Set // the two start on their own threads, in either order
        handle.snapshot().task('c').state() == TaskState.QUEUED

        when: 'one ends'
        fake.release('a')

        then: 'the third starts'
        await(5000) { fake.started().size() == 3 }

        when:
        fake.release('b')
        fake.release('c')

        then:
        handle.await().state() == RunState.SUCCEEDED
    }

    def "listeners see every state change in order and the run store keeps up"() {
        given:
        def events = new CopyOnWriteArrayList<String>()
        def listener = new RunListener() {
            void taskChanged(TaskEvent e) { events << "${e.task()}:${e.state().label()}".toString() }

            void runChanged(RunEvent e) { events << "run:${e.state().label()}".toString() }
        }
        fake.on('a') { exitCode = 2 }

        when:
        def run = f.run(job('j', task('a', 'x'), task('b', [needs: ['a']], 'y')), [listener: listener])

        then:
        events == ['run:running', 'a:queued', 'a:running', 'a:failed', 'b:skipped', 'run:failed']
        f.store.load(run.key()).get().state() == RunState.FAILED
        f.store.load(run.key()).get().task('b').state() == TaskState.SKIPPED
    }

    def "run.json shows a run's state while it goes on, not only at the end"() {
        given:
        fake.on('a') { hold = true }
        def handle = f.engine.start(f.request(job('j', task('a', 'x'), task('b', [needs: ['a']], 'y'))), RunListener.NONE)

        expect:
        await(5000) {
            def saved = f.store.load(handle.key())
            saved.present && saved.get().state() == RunState.RUNNING && saved.get().task('a').state() == TaskState.RUNNING
        }
        await(5000) { 'a' in fake.runningNow() }
        f.store.load(handle.key()).get().task('b').state() == TaskState.PENDING

        when:
        fake.release('a')
        handle.await()

        then:
        f.store.load(handle.key()).get().state() == RunState.SUCCEEDED
        f.store.list()*.key() == [handle.key()]
    }

    def "outputs of the fake reach the next task's rendered script"() {
        given:
        fake.on('a') { output = 'k=v1\nother=x' }

        when:
        f.run(job('j', task('a', 'x'), task('b', [needs: ['a']], 'echo ${{ outputs.a.k }}')))

        then:
        fake.launches.find { it.task() == 'b' }.scripts() == ['echo v1']
    }

    def "pipe groups start together and their readers get piped stdin"() {
        when:
        f.run(job('j', task('w', 'x'), task('r', [input: 'w'], 'y'), task('after', [needs: ['r']], 'z')))

        then:
        fake.started().take(2).toSet() == ['w', 'r'] as Set
        fake.started()[2] == 'after'
        fake.launches.find { it.task() == 'r' }.pipedStdin()
        !fake.launches.find { it.task() == 'w' }.pipedStdin()
    }

    def "a run cancelled while its pipe starts ends every task of the pipe as cancelled, none as failed"() {
        given: 'the writer starts, and the run is cancelled before its reader does'
        def request = f.request(job('j', task('w', 'x'), task('r', [input: 'w'], 'y')))
        // found by its key: the engine may start the writer before start() has returned the handle
        fake.on('w') { hold = true; whenStarted = { f.engine.find(request.context().key()).get().cancel() } }
        def handle = f.engine.start(request, RunListener.NONE)

        when:
        def run = handle.await()

        then:
        run.state() == RunState.CANCELLED
        run.task('w').state() == TaskState.CANCELLED
        run.task('r').state() == TaskState.CANCELLED
        fake.started() == ['w']
    }

    def "a task's when sees its upstream's outcome"() {
        given:
        fake.on('a') { exitCode = 1 }

        when:
        def run = f.run(job('j',
                task('a', 'x'),
                task('ok', [needs: ['a'], when: 'success()'], 'x'),
                task('bad', [needs: ['a'], when: 'failure()'], 'x'),
                task('any', [needs: ['a'], when: 'always()'], 'x'),
                task('far', [needs: ['any'], when: 'failure()'], 'x')))

        then:
        run.task('ok').state() == TaskState.SKIPPED
        run.task('bad').state() == TaskState.SUCCEEDED
        run.task('any').state() == TaskState.SUCCEEDED
        run.task('far').state() == TaskState.SUCCEEDED  // failure() looks at every upstream task, not only direct ones
    }

    def "a skip names what decided it: the failed upstream before a when that holds, the when once upstream succeeded"() {
        given:
        fake.on('a') { exitCode = 1 }

        when: 'the run is manual, so every when below holds but for the implicit success()'
        def run = f.run(job('j',
                task('a', 'x'),
                task('ok', 'x'),
                task('b', [needs: ['a'], when: 'run.trigger == "manual"'], 'x'),
                task('c', [needs: ['ok'], when: 'run.trigger == "push"'], 'x'),
                task('d', [needs: ['a'], when: 'success() && run.trigger == "manual"'], 'x')))

        then: 'the implicit success() decided b: its upstream is named, not its when'
        run.task('b').outcome().reason() == "needed task 'a' failed"

        and: 'c ran past a succeeded upstream into its own when'
        run.task('c').outcome().reason() == """when 'run.trigger == "push"' is false"""

        and: 'a when that calls a status function itself is the whole decision, so it is named'
        run.task('d').outcome().reason() == """when 'success() && run.trigger == "manual"' is false"""
    }

    def "a cancelled run starts nothing more, not even always() tasks"() {
        given:
        fake.on('a') { hold = true }
        def handle = f.engine.start(f.request(job('j', task('a', 'x'), task('z', [needs: ['a'], when: 'always()'], 'y'))),
                RunListener.NONE)
        assert await(5000) { fake.started() == ['a'] }

        when:
        handle.cancel()
        def run = handle.await()

        then:
        run.state() == RunState.CANCELLED
        run.task('a').state() == TaskState.CANCELLED
        run.task('z').state() == TaskState.CANCELLED
        fake.started() == ['a']
    }

    def "an attempt that times out is retried, and the last one's outcome counts"() {
        given:
        fake.on('slow') { hold = true }

        when:
        // 1 s, not 0.1 s: each attempt must be launched before its limit, which a loaded machine may not do in 0.1 s
        def run = f.run(job('j', task('slow', [retry: 1, timeout: EngineFixture.ms(1000)], 'x')))

        then:
        run.task('slow').state() == TaskState.TIMEDOUT
        run.task('slow').attempts() == 2
        fake.started() == ['slow', 'slow']
        fake.launches*.attempt() == [1, 2]
        f.log(run, 'slow').contains('attempt 1 of 2 timedout')

        and: "the run's reason says the task ran out of time, not only that it failed"
        run.state() == RunState.FAILED
        run.reason() == 'timed out: slow'
    }

    def "two runs of one engine go on at the same time"() {
        given:
        fake.on('a') { hold = true }
        def first = f.engine.start(f.request(job('one', task('a', 'x'))), RunListener.NONE)
        def second = f.engine.start(f.request(job('two', task('b', 'x'))), RunListener.NONE)

        expect:
        second.await().state() == RunState.SUCCEEDED
        !first.result().isDone()
        f.engine.find(first.key()).isPresent()

        when: 'the first run started its task (on its own thread: the second may have ended before) and it ends'
        await(5000) { 'a' in fake.runningNow() }
        fake.release('a')

        then:
        first.await().state() == RunState.SUCCEEDED
    }

    def "the summary has the shape the CLI prints"() {
        given:
        fake.on('a') { output = 'v=1' }

        when:
        def summary = f.run(job('web', task('a', 'x'))).summary()

        then:
        summary.job == 'web'
        summary.status == 'succeeded'
        summary.tasks.a.status == 'succeeded'
        summary.tasks.a.exitCode == 0
        summary.tasks.a.attempts == 1
        summary.tasks.a.outputs == [v: '1']
        summary.tasks.a.log.endsWith('a.log')
        summary.tasks.a.containsKey('artifacts')
        summary.tasks.a.artifacts == null
    }
}
