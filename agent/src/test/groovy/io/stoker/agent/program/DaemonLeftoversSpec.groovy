package io.stoker.agent.program

import io.stoker.container.fixtures.Podman
import spock.lang.IgnoreIf
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A daemon killed with kill -9 leaves its tasks' containers running (each sleeps until told otherwise): the next
 * daemon of its directory removes them when it starts, and leaves alone those of a daemon that still lives.
 */
@IgnoreIf(value = { !Podman.installed() }, reason = Podman.SKIP)
class DaemonLeftoversSpec extends Specification {
    @TempDir Path dir
    List<String> started = []

    def cleanup() {
        started.each { Podman.podman('rm', '-f', '-t', '0', it) }
    }

    /** A container labelled as a task container of the daemon {@code pid} of the spec's directory. */
    String containerOf(long pid) {
        def run = Podman.podman('run', '-d', '--label', "io.stoker.owner=${AgentMain.containerOwner(dir, pid)}".toString(),
                Podman.IMAGE, 'sleep', '300')
        assert run.exit == 0, run.out
        started << run.out.readLines().last().trim()
        started.last()
    }

    def "a daemon starting removes the containers a dead daemon of its directory left, and none of a live one's"() {
        given: 'a daemon that died (its PID file names a process gone) and one that lives (this JVM, say)'
        Podman.engine() // the test image
        def gone = new ProcessBuilder('true').start()
        assert gone.waitFor(10, TimeUnit.SECONDS)
        long dead = gone.pid()
        long live = ProcessHandle.current().pid()
        Path socket = AgentMain.socketPath(dir, 'new-version')
        Files.createDirectories(socket.parent)
        Files.writeString(AgentMain.pidFile(AgentMain.socketPath(dir, 'old-version')), dead as String)
        Files.writeString(AgentMain.pidFile(AgentMain.socketPath(dir, 'other-version')), live as String)
        containerOf(dead)
        containerOf(live)

        when: 'a new daemon of the directory starts'
        def host = new AgentHost(dir.resolve('scratch'), [:], 'spec', AgentMain.containerOwner(dir, live + 1))
        int removed = AgentMain.reapDeadDaemons(dir, socket, host)

        then: "the dead daemon's container and PID file are gone; the live one's are kept"
        removed == 1
        Podman.containers(AgentMain.containerOwner(dir, dead)).isEmpty()
        Podman.containers(AgentMain.containerOwner(dir, live)).size() == 1
        !Files.exists(AgentMain.pidFile(AgentMain.socketPath(dir, 'old-version')))
        Files.exists(AgentMain.pidFile(AgentMain.socketPath(dir, 'other-version')))
    }
}
