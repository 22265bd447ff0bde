package io.stoker.server.deploy

import io.stoker.engine.deploy.DeployJobs
import io.stoker.model.DeployTarget
import io.stoker.model.Pos
import io.stoker.model.Step
import io.stoker.server.Http
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * What the server stops at shutdown on its own machine, against real processes: the service a deployment started
 * (its PID file written by the real deployment script) is stopped with what it started; a PID file naming a live
 * process that is not that service (the PID given to another program since, or a file an older Stoker wrote) leaves
 * that process running, and its file in place (the data directory of a cluster is shared).
 */
@Timeout(120)
@Requires({ Files.isExecutable(Path.of('/usr/bin/setsid')) || Files.isExecutable(Path.of('/bin/setsid')) })
class LocalServicesSpec extends Specification {
    @TempDir Path root
    @TempDir Path workspace
    /** A process of another program whose PID a feature puts in a PID file. */
    Process stranger
    /** The services features started, by PID, with what they started. */
    List<ProcessHandle> services = []

    def cleanup() {
        stranger?.destroyForcibly()
        services.each { leader ->
            leader.descendants().forEach { it.destroyForcibly() }
            leader.destroyForcibly()
        }
    }

    Path pidFile() {
        root.resolve('shop/local/' + LocalServices.PID_FILE)
    }

    /** Deploys a service to {@code <root>/shop/local} with the script a deployment run executes. */
    void deploy(String run) {
        def target = new DeployTarget('local', null, run, null, 'true', 30, Pos.NONE)
        def task = DeployJobs.of('shop', target, '1.0', null, root.resolve('shop/local')).tasks().first()
        def pb = new ProcessBuilder('/bin/sh', '-c', (task.steps().first() as Step.Sh).script())
                .directory(workspace.toFile()).redirectErrorStream(true)
        pb.environment().putAll(task.env())
        def p = pb.start()
        String out = p.inputStream.text
        assert p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out
    }

    def "the service a deployment started is stopped, with what it started"() {
        given: 'a service whose shell runs a child'
        deploy('sleep 300 & wait')
        ProcessHandle leader = ProcessHandle.of(Files.readAllLines(pidFile()).first() as long).orElseThrow()
        services << leader
        def child = Http.eventually(60_000) { leader.children().findFirst().orElse(null) } as ProcessHandle

        when:
        new LocalServices(root).stopAll()

        then:
        Http.eventually(60_000) { !leader.alive && !child.alive }
        !Files.exists(pidFile())
    }

    @Requires({ Files.isSymbolicLink(Path.of('/proc/self/cwd')) })
    def "a service an older Stoker started (its PID alone in the file) is stopped too: it works in a release of the target"() {
        given:
        deploy('sleep 300 & wait')
        long pid = Files.readAllLines(pidFile()).first() as long
        ProcessHandle leader = ProcessHandle.of(pid).orElseThrow()
        services << leader
        Files.writeString(pidFile(), "$pid\n")

        when:
        new LocalServices(root).stopAll()

        then:
        Http.eventually(60_000) { !leader.alive }
        !Files.exists(pidFile())
    }

    def "a live process that is not the service its PID file recorded is left running: #why"() {
        given: 'a process of another program, its PID in the target\'s PID file'
        stranger = new ProcessBuilder('sleep', '300').start()
        Files.createDirectories(pidFile().parent)
        Files.writeString(pidFile(), "${stranger.pid()}\n" + (identity == null ? '' : "$identity\n"))

        when:
        new LocalServices(root).stopAll()

        then: "it still runs, and the file is left for the next deployment (in a cluster it may be another machine's)"
        stranger.alive
        Files.exists(pidFile())

        where:
        why                                       | identity
        'its start differs (the PID was reused)'  | 'boot 00000000-0000-0000-0000-000000000000 start 1'
        'no start recorded (an older Stoker)'     | null
    }

    def "a deleted project's services are stopped and its targets removed; a target whose process is not its service is kept"() {
        given: 'shop/local runs a deployed service; shop/other names a process of another program'
        deploy('sleep 300 & wait')
        ProcessHandle leader = ProcessHandle.of(Files.readAllLines(pidFile()).first() as long).orElseThrow()
        services << leader
        stranger = new ProcessBuilder('sleep', '300').start()
        Path other = root.resolve('shop/other/' + LocalServices.PID_FILE)
        Files.createDirectories(other.parent)
        Files.writeString(other, "${stranger.pid()}\nboot 00000000-0000-0000-0000-000000000000 start 1\n")

        when:
        new LocalServices(root).removeProject('shop')

        then:
        Http.eventually(60_000) { !leader.alive }
        !Files.exists(root.resolve('shop/local'))

        and: 'the stranger runs on, and the file naming it stays for whoever started it'
        stranger.alive
        Files.exists(other)
    }
}
