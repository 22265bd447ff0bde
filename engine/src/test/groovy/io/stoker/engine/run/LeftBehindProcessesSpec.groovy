package io.stoker.engine.run

import io.stoker.engine.exec.local.ProcStat
import io.stoker.engine.fixtures.EngineFixture
import spock.lang.AutoCleanup
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

import static io.stoker.engine.fixtures.EngineFixture.await
import static io.stoker.engine.fixtures.EngineFixture.ms
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * What a local task's background processes become when it ends or is stopped: those in its process group end with
 * it however their output goes; one that left the group (setsid, a daemon) is found by the STOKER_OUTPUT it carries
 * and ends with the attempt too, whether it ended on its own (SIGTERM, then SIGKILL) or was stopped (a timeout, a
 * cancel, the engine closing), and whatever the state of the task's pipes. Real processes: each writes its PID
 * to a file in the workspace, and every one still alive is killed when the feature ends.
 */
@Timeout(60) // a hang is a failure, not a stuck build
@Requires({ Files.isDirectory(Path.of('/proc/self')) && new File('/usr/bin/setsid').canExecute() })
class LeftBehindProcessesSpec extends Specification {

    /** Starts {@code sleep SECONDS} in a session of its own, its output to /dev/null, then waits for its PID file. */
    static String detached(int seconds) {
        // until the background shell's child has become sleep: a log naming it reads its name when the task ends
        "setsid sh -c 'sleep $seconds & echo \$! > detached.pid' >/dev/null 2>&1 </dev/null\n" +
                'i=0; while { [ ! -s detached.pid ] || [ "$(cat /proc/$(cat detached.pid)/comm 2>/dev/null)" != sleep ]; } && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done'
    }

    @TempDir
    Path tmp

    @AutoCleanup
    EngineFixture f

    def setup() {
        f = new EngineFixture(tmp)
    }

    def cleanup() {
        ['bg.pid', 'detached.pid'].each { name ->
            def file = f.workspace.resolve(name)
            if (Files.exists(file) && Files.readString(file).trim()) {
                ProcessHandle.of(Files.readString(file).trim() as long).ifPresent { it.destroyForcibly() }
            }
        }
    }

    def "a background process left in the task's process group ends with the task, wherever its output goes"() {
        when:
        def run = f.run(job('j', task('a', script)))
        long pid = pid('bg.pid')

        then:
        run.state() == RunState.SUCCEEDED
        await(5000) { gone(pid) }

        where:
        script << ['sleep 611 > /dev/null 2>&1 & echo $! > bg.pid; echo "bg pid $!"',
                   '(sleep 612 & echo $! > bg.pid)']
    }

    def "a process that left the task's process group and let go of its output is stopped when the task ends"() {
        when:
        def run = f.run(job('j', task('a', detached(676))))
        long pid = pid('detached.pid')

        then: 'as in the server, whose sandbox ends with the task, and as Jenkins stops what carries its build\'s mark'
        run.state() == RunState.SUCCEEDED
        await(5000) { gone(pid) }
        f.log(run, 'a').contains("stopped PID $pid (sleep), started by this task: it had left the task's process group")
    }

    def "a task of a few milliseconds stops what left its group, whether it holds the task's output or not (#round, #how)"() {
        when: 'the shell ends as soon as its background process has become sleep: often before its output is read'
        def run = f.run(job('j', task('a', "setsid sleep 680 $redirect & echo \$! > bg.pid; " +
                'until read c < /proc/$!/comm 2>/dev/null && [ "$c" = sleep ]; do :; done')))
        long pid = pid('bg.pid')

        then:
        run.state() == RunState.SUCCEEDED
        await(5000) { gone(pid) }
        f.log(run, 'a').contains("stopped PID $pid (sleep), started by this task")

        where:
        [round, how] << [(1..20), ['holding its output', 'its output elsewhere']].combinations()
        redirect = how == 'holding its output' ? '' : '> /dev/null 2>&1 < /dev/null'
    }

    def "the end of one task stops only its own processes, not those of a task still running beside it"() {
        when: "'long' checks its own detached process once 'short' has ended and stopped its own"
        def run = f.run(job('j',
                task('long', detached(682) + '\nuntil [ -f short.ended ]; do sleep 0.01; done\n' +
                        'kill -0 "$(cat detached.pid)" && echo "its own is alive"'),
                task('short', "setsid sleep 683 > /dev/null 2>&1 < /dev/null & echo \$! > bg.pid"),
                task('after', [needs: ['short']], 'touch short.ended')))
        long mine = pid('detached.pid')
        long theirs = pid('bg.pid')

        then:
        run.state() == RunState.SUCCEEDED
        f.log(run, 'long').contains(' out its own is alive\n')
        await(5000) { gone(mine) && gone(theirs) }
    }

    def "a task that times out stops what it started, even a process that left its process group"() {
        when:
        // 4 s, not 1.5 s: the limit must come after the detached process exists, two shells later on a loaded machine
        def run = f.run(job('j', task('s', [timeout: ms(4000)], detached(677) + '\necho started; sleep 30')))
        long pid = pid('detached.pid')

        then:
        run.task('s').state() == TaskState.TIMEDOUT
        await(5000) { gone(pid) }
        f.log(run, 's').contains("stopped PID $pid (sleep), started by this task: it had left the task's process group")
    }

    def "a cancel stops what the task started, even a process that left its process group"() {
        given:
        def handle = f.engine.start(f.request(job('j', task('s', detached(678) + '\nsleep 30'))), RunListener.NONE)
        long pid = awaitPid('detached.pid')

        when:
        handle.cancel()
        def run = handle.await()

        then:
        run.task('s').state() == TaskState.CANCELLED
        await(5000) { gone(pid) }
    }

    def "closing the engine (a server's clean stop) stops what left a running task's process group"() {
        given:
        def handle = f.engine.start(f.request(job('j', task('s', detached(679) + '\nsleep 30'))), RunListener.NONE)
        long pid = awaitPid('detached.pid')

        when: 'the engine closes: the stop has reached the process by the time close returns'
        f.engine.close()

        then:
        await(1000) { gone(pid) }

        and: 'the run ends (before its files go)'
        handle.await().task('s').state() == TaskState.CANCELLED
    }

    private long pid(String file) {
        Files.readString(f.workspace.resolve(file)).trim() as long
    }

    private long awaitPid(String file) {
        def path = f.workspace.resolve(file)
        assert await(10_000) { Files.exists(path) && Files.readString(path).trim() }
        long pid = pid(file)
        assert alive(pid)
        pid
    }

    /** Alive and not a zombie (one that ended, its entry not yet collected by whoever inherited it). */
    private static boolean alive(long pid) {
        ProcStat.read(pid).map { !it.ended() }.orElse(false)
    }

    private static boolean gone(long pid) {
        !alive(pid)
    }
}
