package io.stoker.engine.run

import io.stoker.engine.fixtures.EngineFixture
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

import static io.stoker.engine.fixtures.EngineFixture.await
import static io.stoker.engine.fixtures.EngineFixture.ms
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/** A task with {@code allowFailure}, run by the engine with the real local executor: real processes, real files. */
@Timeout(60) // a hang is a failure, not a stuck build
class AllowFailureRunSpec extends Specification {

    @TempDir
    Path tmp

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp)
    }

    def "a failing task allowed to fail stays failed, the task that needs it runs and the run succeeds"() {
        given:
        def events = new CopyOnWriteArrayList<TaskEvent>()
        def listener = new RunListener() {
            @Override
            void taskChanged(TaskEvent e) { events << e }
        }

        when:
        def run = f.run(job('j',
                task('lint', [allowFailure: true], 'echo linting; exit 3'),
                task('build', [needs: ['lint']], 'echo built > built.txt')), [listener: listener])

        then:
        run.state() == RunState.SUCCEEDED
        run.reason() == ''
        run.task('lint').state() == TaskState.FAILED
        run.task('lint').exitCode() == 3
        run.task('lint').allowedFailure()
        run.task('build').state() == TaskState.SUCCEEDED
        !run.task('build').allowedFailure()
        Files.readString(f.workspace.resolve('built.txt')).trim() == 'built'
        f.log(run, 'lint').contains('allowed to fail: the run goes on as if it had succeeded')
        await(5000) { events.any { it.task() == 'lint' && it.state() == TaskState.FAILED && it.allowedFailure() } }
        !events.any { it.task() == 'build' && it.allowedFailure() }
        run.summary().tasks.lint.allowedFailure == true
        !run.summary().tasks.build.containsKey('allowedFailure')
    }

    def "a task not allowed to fail still fails the run and the task that needs it is skipped"() {
        when:
        def run = f.run(job('j',
                task('lint', [allowFailure: true], 'exit 1'),
                task('test', 'exit 2'),
                task('build', [needs: ['test']], 'echo never > built.txt')))

        then:
        run.state() == RunState.FAILED
        run.reason() == 'failed: test'
        run.task('lint').allowedFailure()
        run.task('test').state() == TaskState.FAILED
        !run.task('test').allowedFailure()
        run.task('build').state() == TaskState.SKIPPED
        run.task('build').outcome().reason() == "needed task 'test' failed"
        !Files.exists(f.workspace.resolve('built.txt'))
    }

    def "with retry every attempt runs first; only when the last one failed is it an allowed failure"() {
        when:
        def run = f.run(job('j',
                task('flaky', [allowFailure: true, retry: 2], 'echo x >> attempts; exit 1'),
                task('after', [needs: ['flaky']], 'wc -l < attempts > seen')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('flaky').attempts() == 3
        run.task('flaky').state() == TaskState.FAILED
        run.task('flaky').allowedFailure()
        Files.readString(f.workspace.resolve('seen')).trim() == '3'
        f.log(run, 'flaky').contains('attempt 3 of 3')
    }

    def "a retry that succeeds in the end is a success, not an allowed failure"() {
        when:
        def run = f.run(job('j', task('flaky', [allowFailure: true, retry: 2],
                'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; test $n -ge 2')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('flaky').state() == TaskState.SUCCEEDED
        run.task('flaky').attempts() == 2
        !run.task('flaky').allowedFailure()
    }

    def "a task timing out by its own time limit is an allowed failure too, as in GitLab"() {
        when:
        def run = f.run(job('j',
                task('slow', [allowFailure: true, timeout: 300], 'sleep 30'),
                task('after', [needs: ['slow']], 'echo ran > after.txt')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('slow').state() == TaskState.TIMEDOUT
        run.task('slow').allowedFailure()
        Files.exists(f.workspace.resolve('after.txt'))
    }

    def "failure() does not see an allowed failure, always() runs, and its outputs are not passed on"() {
        when:
        def run = f.run(job('j',
                task('lint', [allowFailure: true], 'echo found=7 >> "$STOKER_OUTPUT"; exit 1'),
                task('report', [needs: ['lint'], when: 'failure()'], 'echo reported > report.txt'),
                task('tidy', [needs: ['lint'], when: 'always()'], 'echo tidied > tidy.txt'),
                task('count', [needs: ['lint']], 'echo "found=[${{ outputs.lint.found }}]" > count.txt')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('report').state() == TaskState.SKIPPED
        !Files.exists(f.workspace.resolve('report.txt'))
        run.task('tidy').state() == TaskState.SUCCEEDED
        Files.readString(f.workspace.resolve('count.txt')).trim() == 'found=[]'
    }

    def "a cancelled run stays cancelled: a task it stopped is no allowed failure"() {
        given:
        def handle = f.engine.start(f.request(job('j',
                task('slow', [allowFailure: true], 'touch started; sleep 300'),
                task('after', [needs: ['slow']], 'echo never'))), RunListener.NONE)
        assert await(5000) { Files.exists(f.workspace.resolve('started')) }

        when:
        handle.cancel()
        def run = handle.await()

        then:
        run.state() == RunState.CANCELLED
        run.task('slow').state() == TaskState.CANCELLED
        !run.task('slow').allowedFailure()
        run.task('after').state() == TaskState.CANCELLED
    }

    def "the job's timeout times the run out: the task it stopped is no allowed failure"() {
        when:
        def run = f.run(job('j', [timeout: ms(2000)], // long enough for the task to have started
                task('slow', [allowFailure: true], 'sleep 30'),
                task('after', [needs: ['slow']], 'echo never')))

        then:
        run.state() == RunState.TIMEDOUT
        run.task('slow').state() == TaskState.TIMEDOUT
        !run.task('slow').allowedFailure()
    }
}
