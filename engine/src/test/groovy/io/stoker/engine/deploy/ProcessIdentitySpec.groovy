package io.stoker.engine.deploy

import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.util.concurrent.TimeUnit

/**
 * The two halves of a process's identity, against real processes: the shell functions the deployment script runs
 * and the Java the server runs print the same thing for a process, on /proc and through ps alike.
 */
@Timeout(60)
class ProcessIdentitySpec extends Specification {
    @TempDir Path dir
    List<Process> started = []

    def cleanup() {
        started*.destroyForcibly()
    }

    Process start(String... command) {
        def p = new ProcessBuilder(command).start()
        started << p
        p
    }

    /** What {@code call} prints after the script's identity functions are defined, run by /bin/sh. */
    static String shell(String call) {
        def p = new ProcessBuilder('/bin/sh', '-c', ProcessIdentity.SHELL + call).start()
        String out = p.inputStream.text
        assert p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0
        out.trim()
    }

    static long ticks(String identity) {
        (identity =~ /^boot [0-9a-f-]+ start (\d+)$/).with { assert it.matches(), identity; it.group(1) as long }
    }

    @Requires({ Files.isReadable(Path.of('/proc/sys/kernel/random/boot_id')) })
    def "a command name holding spaces and ') ' does not shift the start read from /proc"() {
        given: 'sleep under a name like the end of a stat line, started between two plain sleeps'
        Path odd = Files.copy(Path.of('/bin/sleep'), dir.resolve('x) 1 2 ) y'), StandardCopyOption.COPY_ATTRIBUTES)
        def before = start('sleep', '300')
        def p = start(odd.toString(), '300')
        def after = start('sleep', '300')

        expect: 'its start lies between theirs, and the shell reads the same as Java'
        ticks(ProcessIdentity.of(before.pid()).orElseThrow()) <= ticks(ProcessIdentity.of(p.pid()).orElseThrow())
        ticks(ProcessIdentity.of(p.pid()).orElseThrow()) <= ticks(ProcessIdentity.of(after.pid()).orElseThrow())
        shell("identity ${p.pid()}") == ProcessIdentity.of(p.pid()).orElseThrow()
    }

    @Requires({ ['/bin/ps', '/usr/bin/ps'].any { Files.isExecutable(Path.of(it)) } })
    def "without /proc both read the start ps tells, the same way"() {
        given:
        def p = start('sleep', '300')

        expect:
        ProcessIdentity.fromPs(p.pid()).orElseThrow().startsWith('started ')
        shell("ps_identity ${p.pid()}") == ProcessIdentity.fromPs(p.pid()).orElseThrow()
    }

    def "a process that is gone has no identity"() {
        given:
        def p = start('true')
        assert p.waitFor(30, TimeUnit.SECONDS)

        expect:
        ProcessIdentity.of(p.pid()).empty
    }
}
