package io.stoker.server.cluster

import spock.lang.Requires
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** What tells a server of this machine whose process is gone from one that lives (read from /proc). */
@Requires({ Files.isDirectory(Path.of('/proc/self/ns')) })
class HostProcessSpec extends Specification {
    HostProcess here = HostProcess.current().orElseThrow()

    def "this process's mark is stored and read back as it was, and it is not gone"() {
        expect:
        HostProcess.parse(here.stored()) == Optional.of(here)
        here.pid() == ProcessHandle.current().pid()
        !here.goneAsSeenFrom(here)
    }

    def "a process that ended, or is only a zombie, is gone; one that runs is not"() {
        given: 'a process whose parent never reaps it (the JVM reaps its own children at once), marked as a server marks itself'
        Process parent = new ProcessBuilder('sh', '-c', 'sleep 60 & echo $!; exec sleep 120').start()
        long pid = parent.inputStream.newReader().readLine() as long
        HostProcess mark = markOf(pid)

        expect: 'alive'
        !mark.goneAsSeenFrom(here)

        when: 'it is killed and stays a zombie'
        assert new ProcessBuilder('kill', '-KILL', pid as String).start().waitFor() == 0
        waitForState(pid, 'Z')

        then:
        mark.goneAsSeenFrom(here)

        when: 'its parent ends, and with it the zombie'
        parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS)

        then:
        mark.goneAsSeenFrom(here)

        cleanup:
        parent?.destroyForcibly()
    }

    def "a mark whose PID now belongs to a later process is gone"() {
        expect: 'this PID, but a start that is not this process'
        new HostProcess(here.namespace(), here.pid(), '1').goneAsSeenFrom(here)
    }

    def "a mark of another machine or PID namespace is never judged from here"() {
        expect:
        !new HostProcess('pid:[1] boot 00000000-0000-0000-0000-000000000000', 999_999_999L, '1').goneAsSeenFrom(here)
    }

    def "a stored value this version does not read is no mark"() {
        expect:
        HostProcess.parse(stored) == Optional.empty()

        where:
        stored << [null, '', 'pid 12', 'boot x start 5']
    }

    private HostProcess markOf(long pid) {
        String stat = Path.of('/proc', pid as String, 'stat').text
        new HostProcess(here.namespace(), pid, stat.substring(stat.lastIndexOf(') ') + 2).split(' ')[19])
    }

    private static void waitForState(long pid, String state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (System.nanoTime() < deadline) {
            Path file = Path.of('/proc', pid as String, 'stat')
            String stat = Files.exists(file) ? file.text : ') X'
            if (stat.substring(stat.lastIndexOf(') ') + 2).split(' ')[0] == state) return
            Thread.sleep(10)
        }
        throw new AssertionError("process $pid never reached state $state")
    }
}
