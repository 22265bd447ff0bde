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
        task.strays() == ["stopped PID $pid (sleep), started by this task: it had left the task's process group and still held its output open; send a background process's output to a file (> file 2>&1) to keep it running".toString()]

        cleanup:
        ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }
        pump?.join(10_000)
    }
}
