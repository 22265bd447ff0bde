package io.stoker.engine.exec

import io.stoker.engine.exec.local.ProcStat
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * What /proc/PID/stat tells of a process whose environment reads as empty: a program caught in its exec (the sweep
 * waits for it) or one started with an empty environment (nothing to wait for).
 */
class ProcStatSpec extends Specification {

    @TempDir
    Path proc

    /** A stat line as Linux 3.5 and later write it: 52 fields, the command's name with a space and a parenthesis. */
    private ProcStat stat(Map<Integer, Object> fields) {
        def values = (1..52).collect { n -> (fields[n] ?: (n == 3 ? 'S' : 0)).toString() }
        values[1] = '(odd) name)'
        Files.createDirectories(proc.resolve('77'))
        Files.writeString(proc.resolve('77/stat'), values.join(' ') + '\n')
        ProcStat.read(proc, 77).orElseThrow()
    }

    def "a live program whose environment has no place yet is in its exec"() {
        expect:
        stat([3: 'R', 50: 0, 51: 0]).swappingProgram()
    }

    def "a program started with an empty environment has one in place, empty, and is not waited for"() {
        expect:
        !stat([50: 140727736979433, 51: 140727736979433]).swappingProgram()
    }

    def "a zombie or a kernel thread is never in an exec"() {
        expect:
        !stat([3: 'Z', 50: 0]).swappingProgram()
        !stat([9: 0x00200040, 50: 0]).swappingProgram()
    }

    def "a kernel that does not tell where the environment is (before 3.5) leaves every live program a candidate"() {
        given:
        Files.createDirectories(proc.resolve('78'))
        Files.writeString(proc.resolve('78/stat'), "78 (old) S ${(4..44).collect { 0 }.join(' ')}\n")

        expect:
        ProcStat.read(proc, 78).orElseThrow().envStart() == -1
        ProcStat.read(proc, 78).orElseThrow().swappingProgram()
    }

    @Requires({ Files.isReadable(Path.of('/proc/self/stat')) && new File('/usr/bin/env').canExecute() })
    def "on this machine a program started with an empty environment reads so, and is not taken for one in its exec"() {
        given:
        def empty = new ProcessBuilder('/usr/bin/env', '-i', '/bin/sleep', '30').start()
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (commandOf(empty.pid()) != 'sleep' && System.nanoTime() < deadline) Thread.sleep(5)
        // the kernel names the new program before it places its environment: wait until that is done too
        while (ProcStat.read(empty.pid()).map { it.swappingProgram() }.orElse(false) && System.nanoTime() < deadline) Thread.sleep(5)

        expect:
        Files.readAllBytes(Path.of("/proc/${empty.pid()}/environ")).length == 0
        !ProcStat.read(empty.pid()).orElseThrow().swappingProgram()
        !ProcStat.read(ProcessHandle.current().pid()).orElseThrow().swappingProgram()

        cleanup:
        empty?.destroyForcibly()
    }

    private static String commandOf(long pid) {
        try {
            Files.readString(Path.of("/proc/$pid/comm")).trim()
        } catch (IOException ignored) {
            null
        }
    }
}
