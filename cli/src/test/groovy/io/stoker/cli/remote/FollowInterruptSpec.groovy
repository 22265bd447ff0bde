package io.stoker.cli.remote

import io.stoker.cli.CliRun
import io.stoker.cli.Main
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * Ctrl-C while a client command follows a run, with the CLI as a real process against a real server: the following
 * stops, the run goes on (as Jenkins' {@code build -f} leaves the build alone), and one line on stderr says so.
 */
@Timeout(180)
class FollowInterruptSpec extends RemoteCliSpecification {
    @TempDir Path files

    /** A project whose one task prints a line, then waits until {@code release} exists. */
    private void slowProject(String name, Path release) {
        def jobfile = files.resolve('Jobfile')
        jobfile.text = """job('slow') { task('a') { sh 'echo tick; while [ ! -e ${release} ]; do sleep 0.1; done; echo released' } }"""
        assert stoker('project', 'add', name, '--jobfile', jobfile).exit == 0
    }

    /**
     * The CLI as its own process, its output in files, with Ctrl-C's signal as a terminal's foreground process has
     * it: a suite started in the background by a shell without job control (CI, nohup … &) ignores SIGINT, and an
     * ignored signal stays ignored across exec, so the JVM would never hear it. Python puts the default back first.
     */
    private Process cli(String... args) {
        new ProcessBuilder('python3', '-c',
                'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])',
                Path.of(System.getProperty('java.home'), 'bin', 'java').toString(),
                '-cp', System.getProperty('java.class.path'), Main.name, *args,
                '--server', server.url(), '--token', token)
                .redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
                .redirectOutput(files.resolve('out.txt').toFile()).redirectError(files.resolve('err.txt').toFile()).start()
    }

    private String out() { Files.exists(files.resolve('out.txt')) ? files.resolve('out.txt').text : '' }

    private String err() { Files.exists(files.resolve('err.txt')) ? files.resolve('err.txt').text : '' }

    private void awaitOut(Process p, String text) {
        long deadline = System.currentTimeMillis() + 60_000 * CliRun.TIMEOUT_FACTOR
        while (!out().contains(text) && p.alive && System.currentTimeMillis() < deadline) Thread.sleep(20)
        assert out().contains(text): "no '$text' in the output:\n${out()}\n--- err\n${err()}"
    }

    /** Ctrl-C as a terminal sends it. */
    private static void interrupt(Process p) {
        assert new ProcessBuilder('kill', '-INT', String.valueOf(p.pid())).start().waitFor() == 0
    }

    private String awaitStatus(String key, Set<String> wanted) {
        long deadline = System.currentTimeMillis() + 60_000 * CliRun.TIMEOUT_FACTOR
        String status = null
        while (System.currentTimeMillis() < deadline) {
            status = stoker('status', key, '--json').json().status
            if (status in wanted) return status
            Thread.sleep(50)
        }
        status
    }

    def "Ctrl-C during trigger --follow stops following, says the run goes on and how to cancel it, and the run goes on"() {
        given:
        Path release = files.resolve('release')
        slowProject('slow', release)

        when: 'the follow shows the task running, and the user presses Ctrl-C'
        def p = cli('trigger', 'slow/slow', '--follow')
        awaitOut(p, '[a] tick')
        String key = (out() =~ /run (\S+) \(#1, slow\/slow\) queued/)[0][1]
        interrupt(p)

        then: 'the CLI ends as a shell expects of Ctrl-C, saying what it left behind'
        p.waitFor(60 * CliRun.TIMEOUT_FACTOR, TimeUnit.SECONDS)
        p.exitValue() == 130
        err().readLines() == ["stopped following; run $key (#1, slow/slow) goes on — stoker cancel $key stops it".toString()]

        and: 'the run was left alone: still running, and it finishes'
        stoker('status', key, '--json').json().status == 'running'
        release.toFile().createNewFile()
        awaitStatus(key, ['succeeded', 'failed'] as Set) == 'succeeded'
    }

    def "Ctrl-C during logs -f says the same, and the run goes on"() {
        given:
        Path release = files.resolve('release')
        slowProject('slow2', release)
        def started = stoker('trigger', 'slow2/slow')
        String key = (started.out =~ /run (\S+) \(/)[0][1]

        when:
        def p = cli('logs', 'slow2/slow#1', 'a', '-f')
        awaitOut(p, 'tick')
        interrupt(p)

        then:
        p.waitFor(60 * CliRun.TIMEOUT_FACTOR, TimeUnit.SECONDS)
        p.exitValue() == 130
        err().readLines() == ["stopped following; run $key (#1, slow2/slow) goes on — stoker cancel $key stops it".toString()]
        stoker('status', key, '--json').json().status == 'running'

        cleanup:
        release.toFile().createNewFile()
        awaitStatus(key, ['succeeded', 'failed'] as Set)
    }

    def "trigger and logs --help say that Ctrl-C stops the following, not the run"() {
        expect:
        ['trigger', 'rerun', 'logs'].every { cmd ->
            String help = CliRun.of(cmd, '--help').out.replaceAll(/\s+/, ' ')
            assert help.contains('Ctrl-C stops following; the run goes on'): cmd
            true
        }
    }
}
