package io.stoker.cli

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** {@code stoker run} stopped by a signal (Ctrl-C, or SIGTERM from a CI system) as a real process. */
@Timeout(120)
class RunInterruptSpec extends Specification {

    @TempDir
    Path project

    @TempDir
    Path data

    def "a run stopped by a signal is cancelled and reported like any run, with no internal error"() {
        given:
        project.resolve('Jobfile').text = '''job('stop') {
  task('slow') { sh 'touch started; sleep 60' }
  task('after') { needs 'slow'; sh 'echo never' }
}'''
        def process = new ProcessBuilder(Path.of(System.getProperty('java.home'), 'bin', 'java').toString(),
                '-cp', System.getProperty('java.class.path'), Main.name,
                'run', project.toString(), '--data-dir', data.toString(), '--json')
                .redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
                .redirectOutput(data.resolve('out.txt').toFile()).redirectError(data.resolve('err.txt').toFile()).start()
        Path started = data.resolve('runs/stop-1/workspace/started')
        long deadline = System.currentTimeMillis() + 60_000 * CliRun.TIMEOUT_FACTOR
        while (!Files.exists(started) && process.alive && System.currentTimeMillis() < deadline) Thread.sleep(50)
        assert Files.exists(started): "the task never started: " + Files.readString(data.resolve('err.txt'))

        when: 'the run gets SIGTERM, as from a CI system or systemd (Ctrl-C takes the same way out)'
        process.destroy()
        boolean ended = process.waitFor(60 * CliRun.TIMEOUT_FACTOR, TimeUnit.SECONDS)
        String out = Files.readString(data.resolve('out.txt'))
        String err = Files.readString(data.resolve('err.txt'))

        then:
        ended
        process.exitValue() == 143
        !err.contains('internal error')
        !err.contains('Exception')
        err.readLines().any { it ==~ /run stop-1 cancelled in .*/ }
        !err.contains('cancelled (cancelled)')
        with(new ObjectMapper().readValue(out, Map)) {
            status == 'cancelled'
            tasks.slow.status == 'cancelled'
            tasks.after.status == 'cancelled'
        }
    }
}
