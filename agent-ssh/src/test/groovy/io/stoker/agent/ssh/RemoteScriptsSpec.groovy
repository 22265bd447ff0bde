package io.stoker.agent.ssh

import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

import static io.stoker.agent.ssh.RemoteExecutionSpec.groupAlive

/**
 * The shell-mode wrapper an agent host runs for one task attempt, run here by a real shell: what it records is what
 * a cancel or a re-attach later relies on.
 */
@Timeout(60)
class RemoteScriptsSpec extends Specification {

    @TempDir
    Path tmp

    def "the recorded group id names a live process group from the moment the file exists, however slowly setsid starts"() {
        given: 'a setsid that takes its time before it makes the new session, as on a loaded host'
        def bin = Files.createDirectories(tmp.resolve('bin'))
        def slow = bin.resolve('setsid')
        slow.text = "#!/bin/sh\nsleep 1\nexec ${realSetsid()} \"\$@\"\n"
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString('rwx------'))
        def dir = Files.createDirectories(tmp.resolve('attempt'))
        def ws = Files.createDirectories(tmp.resolve('ws'))
        dir.resolve('env').text = ''
        dir.resolve('steps.sh').text = RemoteScripts.steps(dir.toString(), ['sleep 30'], { false })
        dir.resolve('step-1.sh').text = 'sleep 30\n'
        dir.resolve('run.sh').text = RemoteScripts.wrapper(dir.toString(), ws.toString(), false)

        when:
        def pb = new ProcessBuilder('sh', dir.resolve('run.sh').toString()).redirectErrorStream(true)
        pb.environment().put('PATH', bin.toString() + ':' + System.getenv('PATH'))
        def wrapper = pb.start()
        def pidFile = dir.resolve('pid')
        long deadline = System.nanoTime() + 20_000_000_000L
        while (!(Files.exists(pidFile) && pidFile.text.trim()) && System.nanoTime() < deadline) Thread.sleep(1)
        long pgid = pidFile.text.trim() as long

        then: 'read at once: a cancel sent now reaches the task'
        groupAlive(pgid)

        cleanup:
        if (pidFile != null && Files.exists(pidFile)) new ProcessBuilder('kill', '-KILL', '--', '-' + pidFile.text.trim()).start().waitFor()
        wrapper?.waitFor()
    }

    private static String realSetsid() {
        ['/usr/bin/setsid', '/bin/setsid'].find { Files.isExecutable(Path.of(it)) }
    }
}
