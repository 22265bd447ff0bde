package io.stoker.cli

import io.stoker.engine.exec.local.ProcStat
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * {@code stoker run} as a real, cold process stops what its tasks left running in sessions of their own, as the
 * server does: a task of a few milliseconds ends before the run reads its output, and a process holding that output,
 * or sending it elsewhere, used to run on after the CLI had exited.
 */
@Timeout(300)
@Requires({ Files.isDirectory(Path.of('/proc/self')) && new File('/usr/bin/setsid').canExecute() })
class RunBackgroundProcessesSpec extends Specification {

    @TempDir
    Path project

    @TempDir
    Path data

    List<Long> pids = []

    def cleanup() {
        pids.each { pid -> ProcessHandle.of(pid).ifPresent { it.destroyForcibly() } }
    }

    def "a cold stoker run leaves no process of its tasks running, whatever they did with their output (#round)"() {
        given:
        project.resolve('Jobfile').text = '''job('bg') {
  task('held') { sh 'setsid sleep 621 & echo $! > held.pid' }
  task('quiet') { sh 'setsid sleep 622 > /dev/null 2>&1 < /dev/null & echo $! > quiet.pid' }
}'''

        when:
        def process = new ProcessBuilder(Path.of(System.getProperty('java.home'), 'bin', 'java').toString(),
                '-cp', System.getProperty('java.class.path'), Main.name,
                'run', project.toString(), '--data-dir', data.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
                .redirectErrorStream(true).redirectOutput(data.resolve('out.txt').toFile()).start()
        boolean ended = process.waitFor(120 * CliRun.TIMEOUT_FACTOR, TimeUnit.SECONDS)
        Path workspace = data.resolve('runs/bg-1/workspace')
        pids = ['held.pid', 'quiet.pid'].collect { Files.readString(workspace.resolve(it)).trim() as long }

        then:
        ended
        process.exitValue() == 0

        and: 'the one that held its output and the one that sent it elsewhere are both gone'
        verifyAll {
            gone(pids[0])
            gone(pids[1])
        }

        where:
        round << (1..5)
    }

    /** Waits, bounded, until the process is gone or a zombie (ended, its entry not yet collected by whoever inherited it). */
    private static boolean gone(long pid) {
        long deadline = System.nanoTime() + (long) (5_000_000_000L * CliRun.TIMEOUT_FACTOR)
        while (System.nanoTime() < deadline) {
            if (ended(pid)) return true
            Thread.sleep(10)
        }
        ended(pid)
    }

    private static boolean ended(long pid) {
        ProcStat.read(pid).map { it.ended() }.orElse(true)
    }
}
