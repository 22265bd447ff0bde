package io.stoker.samples

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** Ctrl-C on `stoker run` cancels the run and kills every process its tasks started. */
class InterruptSpec extends Specification {
    /** Resets SIGINT to its default, then becomes the command given (python3 is one of the tools the suite needs). */
    static final String DEFAULT_SIGINT =
            'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])'

    @TempDir
    Path project

    @TempDir
    Path data

    def "SIGINT cancels the run and kills the task's whole process tree"() {
        given: 'a task whose background grandchild would outlive a careless kill'
        project.resolve('Jobfile').text = '''job('long') {
  task('wait') { sh 'sleep 300 & echo $! > grandchild.pid; wait' }
}'''
        // as a terminal starts it: SIGINT at its default. A suite started in the background (`./run-tests &`) hands
        // its children SIGINT ignored, the JVM then installs no handler, and Ctrl-C could not reach the CLI at all
        def process = new ProcessBuilder('python3', '-c', DEFAULT_SIGINT, Cli.JAVA, '-jar', Cli.JAR.toString(), 'run',
                project.toString(), '--data-dir', data.toString()).redirectErrorStream(true).start()
        def output = new StringBuffer()
        Thread.start { process.inputStream.eachLine { output << it << '\n' } }
        def pidFile = data.resolve('runs/long-1/workspace/grandchild.pid')

        when: 'the grandchild is running and the user presses Ctrl-C'
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60)
        while (!(Files.exists(pidFile) && pidFile.text.trim()) && System.nanoTime() < deadline) Thread.sleep(50)
        long grandchild = pidFile.text.trim() as long
        assert ProcessHandle.of(grandchild).map { it.alive }.orElse(false)
        new ProcessBuilder('kill', '-INT', process.pid().toString()).start().waitFor()
        boolean exited = process.waitFor(30, TimeUnit.SECONDS)

        then: 'the CLI exits and the grandchild is gone'
        exited
        process.exitValue() != 0
        gone(grandchild)

        cleanup:
        process?.destroyForcibly()
    }

    private static boolean gone(long pid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (System.nanoTime() < deadline) {
            if (!ProcessHandle.of(pid).map { it.alive }.orElse(false)) return true
            Thread.sleep(50)
        }
        false
    }
}
