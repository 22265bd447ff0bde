package io.stoker.dsl.isolate

import spock.lang.Requires
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * A Jobfile worker's sandbox never outlives its compiler: bwrap arms its parent-death signal only once the sandbox is
 * set up, so one killed in its first milliseconds would orphan the sandbox's init for good.
 */
@Requires({ Sandbox.bubblewrap().isPresent() && Sandbox.detected().kind() == 'bwrap' })
class WorkerOrphanSpec extends Specification {
    static final double FACTOR = (System.getProperty('stoker.test.timeoutFactor') ?: '1') as double

    String marker = UUID.randomUUID().toString()

    def "a compiler closed while its warm worker's sandbox is still being set up leaves no process behind"() {
        given: 'bubblewrap marked, so its processes can be found once orphaned; a worker that never exits by itself'
        def bwrap = Sandbox.bubblewrap().get()
        def marked = new Sandbox('bwrap', [bwrap.prefix()[0], '--setenv', 'STOKER_SPEC_MARKER', marker] + bwrap.prefix().drop(1))
        def settings = WorkerSettings.defaults().withSandbox(marked).withMainClass(SleepingWorker.name).withPoolSize(1)

        when: 'each compiler is closed the moment its warm worker started: within the milliseconds bwrap sets up'
        60.times {
            def compiler = IsolatedJobfileCompiler.warmedLater(settings)
            compiler.warmUp()
            compiler.close()
        }

        then: 'none of their sandboxes outlives close(); an orphaned one would stay (PID 1 of its namespace)'
        awaitGone(Duration.ofMillis((long) (10_000 * FACTOR)))*.pid() == []

        cleanup:
        markedProcesses().each { it.destroyForcibly() }
    }

    /** The processes whose command line holds this feature's marker: bwrap's outer and inner process, by pid. */
    List<ProcessHandle> markedProcesses() {
        ProcessHandle.allProcesses().filter { h ->
            try {
                new String(Files.readAllBytes(Path.of('/proc', h.pid() as String, 'cmdline'))).contains(marker)
            } catch (IOException ignored) {
                false // ended meanwhile
            }
        }.toList()
    }

    /** Those still there once they all ended or the deadline passed; polls, it does not wait a fixed time. */
    List<ProcessHandle> awaitGone(Duration within) {
        long deadline = System.nanoTime() + within.toNanos()
        def left = markedProcesses()
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20)
            left = markedProcesses()
        }
        left
    }
}
