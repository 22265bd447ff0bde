package io.stoker.engine.exec.local

import io.stoker.engine.fixtures.EngineFixture
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * A task whose script ends before its pipes were looked up (a few milliseconds of work on a busy machine, or the
 * first task of a cold `stoker run`) still has a process that left its group and holds its output stopped, as the
 * README says: before, nothing was known of its pipes and the process ran on after `stoker run` ended.
 */
@Requires({ Files.isDirectory(Path.of('/proc/self')) && new File('/usr/bin/setsid').canExecute() })
class LateOutputPipesSpec extends Specification {

    @TempDir
    Path dir

    def "a process that left the group of a task that ended at once, holding its output, is stopped and named"() {
        given: "a task's process, marked as the engine marks it, that starts a process in a session of its own holding its stdout"
        Path output = dir.resolve('output')
        def pb = new ProcessBuilder('bash', '-c', 'setsid sleep 617 & echo $!; read line')
        pb.environment().put('STOKER_OUTPUT', output.toString())
        Process process = pb.start()
        def reader = new BufferedReader(new InputStreamReader(process.inputStream))
        long pid = reader.readLine() as long
        Thread pump = Thread.start { reader.text } // reads on, as the engine's pump does, until the pipe ends
        assert EngineFixture.await(10_000) { ProcessHandle.of(pid).flatMap { it.info().command() }.map { it.endsWith('sleep') }.orElse(false) }

        and: 'the task ended before its pipes were looked up'
        process.outputStream.close()
        process.waitFor()
        def task = new LocalRunningTask(process, false, dir, output, dir)

        when: 'its output is still held after the grace'
        task.stopBackground(true)

        then:
        EngineFixture.await(10_000) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
        task.strays() == ["stopped PID $pid (sleep), started by this task: it had left the task's process group and still held its output open; start a process meant to outlive its task with env -u STOKER_OUTPUT and its output sent to a file (> file 2>&1)".toString()]

        cleanup:
        ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }
        pump?.join(10_000)
    }

    def "a process that left the group of a task whose output the JDK drained as it ended is stopped all the same (#round)"() {
        given: "a task's process, marked as the engine marks it, that starts a process in a session of its own holding its stdout, waits until it is that program, and ends"
        Path output = dir.resolve("output-$round")
        Path pidFile = dir.resolve("pid-$round")
        def pb = new ProcessBuilder('bash', '-c', 'setsid sleep 619 & echo $! > "$0"; ' +
                'until read c < /proc/$!/comm 2>/dev/null && [ "$c" = sleep ]; do :; done', pidFile.toString())
        pb.environment().put('STOKER_OUTPUT', output.toString())
        Process process = pb.start()
        process.outputStream.close()
        process.waitFor()
        long pid = Files.readString(pidFile).trim() as long
        String pipe = Files.readSymbolicLink(Path.of("/proc/$pid/fd/1")).toString()

        and: "the JDK's reaper drained the task's stdout and closed this process's end before any pump read it"
        assert EngineFixture.await(10_000) { !readsPipe(pipe) }
        assert process.inputStream.read() == -1 // the engine's pump sees the output end at once
        def task = new LocalRunningTask(process, false, dir, output, dir)

        when: 'the engine ends what the task left, its output read to its end'
        task.stopBackground(false)

        then: 'the process is stopped though the pipe it holds was never seen open, and the log names it'
        EngineFixture.await(10_000) { !ProcStat.read(pid).map { !it.ended() }.orElse(false) }
        task.strays().size() == 1
        task.strays()[0].startsWith("stopped PID $pid (sleep), started by this task: it had left the task's process group")

        cleanup:
        ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }

        where:
        round << (1..20)
    }

    /** Whether this JVM still holds an end of {@code pipe} ({@code pipe:[INODE]}) open. */
    private static boolean readsPipe(String pipe) {
        Files.list(Path.of('/proc/self/fd')).withCloseable { fds ->
            fds.anyMatch { fd ->
                try {
                    Files.readSymbolicLink(fd).toString() == pipe
                } catch (IOException ignored) {
                    false // closed between the listing and the read
                }
            }
        }
    }
}
