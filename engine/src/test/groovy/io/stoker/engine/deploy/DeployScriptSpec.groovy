package io.stoker.engine.deploy

import io.stoker.model.DeployTarget
import io.stoker.model.Pos
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The deployment script itself, run by {@code /bin/sh -e} (dash on Debian) against a target directory of its own, as
 * the deployment task runs it (with -e: a command that fails unguarded ends it): how it stops the service the last deployment left and judges the next one.
 */
@Timeout(90)
@Requires({ Files.isExecutable(Path.of('/usr/bin/setsid')) || Files.isExecutable(Path.of('/bin/setsid')) })
class DeployScriptSpec extends Specification {
    @TempDir Path dir
    @TempDir Path workspace
    /** A process of another program whose PID a feature puts in service.pid. */
    Process stranger

    def cleanup() {
        Path pid = dir.resolve('service.pid')
        if (Files.exists(pid)) {
            // whatever a feature left running: the group of the service it started, by its PID (the first line)
            ProcessHandle.of(Files.readAllLines(pid).first().trim() as long).ifPresent { leader ->
                leader.descendants().forEach { it.destroyForcibly() }
                leader.destroyForcibly()
            }
        }
        stranger?.destroyForcibly()
    }

    static DeployTarget service(String run, String healthcheck, int within = 20) {
        new DeployTarget('staging', null, run, null, healthcheck, within, Pos.NONE)
    }

    /**
     * Runs the script for {@code version} as the deployment task would ({@code sh -e}); answers [exit, output]. On the server's
     * machine the task has {@code STOKER_DEPLOY_DIR}; on an agent ({@code onAgent}) the target is under its HOME.
     */
    Map deploy(DeployTarget target, String version, boolean onAgent = false) {
        // with -e, as the task's step driver runs a plain step (bash -e, or sh -e where there is no bash)
        def pb = new ProcessBuilder('/bin/sh', '-e', '-c', DeployScript.of('shop', target, version, null))
                .directory(workspace.toFile()).redirectErrorStream(true)
        if (onAgent) {
            pb.environment().remove('STOKER_DEPLOY_DIR')
            pb.environment().put('HOME', dir.toString())
        } else {
            pb.environment().put('STOKER_DEPLOY_DIR', dir.toString())
        }
        def p = pb.start()
        String out = p.inputStream.text
        assert p.waitFor(60, TimeUnit.SECONDS)
        [exit: p.exitValue(), out: out]
    }

    def "a healthcheck that does not return is stopped when the window closes, and the deployment is bad"() {
        when: 'a healthy-looking service whose check hangs (curl against a server that accepts and never answers)'
        long start = System.nanoTime()
        def result = deploy(service('exec sleep 60', 'sleep 100', 2), '1.0')
        long tookMs = (System.nanoTime() - start).intdiv(1_000_000)

        then: 'it is judged when the window closes, not when the check would have ended'
        result.exit == 1
        result.out.contains('healthcheck did not pass within 2 s')
        tookMs < 30_000
        !Files.exists(dir.resolve('service.pid'))
    }

    def "a healthcheck that never passes leaves its last answer in the log, not only the service's lines: #why"() {
        when:
        def result = deploy(service('echo service up; exec sleep 60', check, 2), '1.0')

        then: 'the cause the check saw is said after the service\'s lines'
        result.exit == 1
        result.out.contains('healthcheck did not pass within 2 s')
        result.out.contains('service up')
        result.out.contains("the healthcheck's last try exited $code and said:")
        result.out.contains(said)

        where:
        why                              | check                                          | code | said
        'it answers with an error'       | 'echo "port 9: connection refused" >&2; exit 7' | 7    | 'port 9: connection refused'
        'its command is not on the host' | 'no-such-health-checker --ping'                | 127  | 'no-such-health-checker'
    }

    def "run and healthcheck work in the release and find the target's directory as STOKER_DEPLOY_DIR, on an agent too"() {
        when: 'a healthcheck reading the service log the target keeps beside its releases'
        def result = deploy(service('pwd; echo up; exec sleep 60', 'grep -q up "$STOKER_DEPLOY_DIR/service.log"'), '1.0', onAgent)
        Path target = onAgent ? dir.resolve('.stoker/deployments/shop/staging') : dir

        then:
        result.exit == 0
        result.out.contains('healthcheck passed')
        target.resolve('service.log').text.readLines().first() == target.resolve('releases/1.0').toRealPath().toString()

        cleanup: 'the service of an agent-like target, whose pid file is not where the cleanup looks'
        if (onAgent && Files.exists(target.resolve('service.pid'))) {
            ProcessHandle.of(target.resolve('service.pid').readLines().first().trim() as long).ifPresent { leader ->
                leader.descendants().forEach { it.destroyForcibly() }
                leader.destroyForcibly()
            }
        }

        where:
        onAgent << [false, true]
    }

    def "a service that ended before its healthcheck passed does not fail the next deployment with its exit"() {
        given: 'version 1.0 ends at once: the deployment fails'
        def first = deploy(service('sh -c "exit 3"', 'false'), '1.0')
        assert first.exit == 1 && first.out.contains('the service ended (exit code 3)')

        when: 'version 1.1 runs and is healthy'
        def next = deploy(service('exec sleep 60', 'true'), '1.1')

        then: 'it is judged on its own: healthy'
        next.exit == 0
        next.out.contains('healthcheck passed')
    }

    def "a service that ends at once by its own exit is reported with that exit code: #run"() {
        when:
        def result = deploy(service(run, 'false'), '1.0')

        then: 'the exit its command ended with, not "unknown"'
        result.exit == 1
        result.out.contains('the service ended (exit code 3) before its healthcheck passed')

        where:
        run << ['echo starting; exit 3', 'exec sh -c "exit 3"']
    }

    def "the previous service gets its grace to shut down: its group is waited for, not only the shell leading it"() {
        given: 'a service whose app (a child of the leading shell) takes a second to shut down on TERM'
        Path stopped = dir.resolve('stopped')
        def app = "sh -c 'trap \"sleep 1; echo graceful > $stopped; exit 0\" TERM; while :; do sleep 0.1; done'"
        assert deploy(service(app, 'true'), '1.0').exit == 0

        when: 'the next deployment stops it'
        def next = deploy(service('exec sleep 60', 'true'), '1.1')

        then: 'the app finished its shutdown before the KILL (the leader shell itself dies at TERM)'
        next.exit == 0
        next.out.contains('stopping the previous service')
        Files.exists(stopped) && Files.readString(stopped).trim() == 'graceful'
    }

    def "the service's start is recorded beside its PID as the server reads it, and the next deployment stops it by both"() {
        given:
        assert deploy(service('exec sleep 60', 'true'), '1.0').exit == 0
        def lines = Files.readAllLines(dir.resolve('service.pid'))
        long first = lines[0] as long
        String javaReads = ProcessIdentity.of(first).orElseThrow()

        when:
        def next = deploy(service('exec sleep 60', 'true'), '1.1')

        then: 'line 2 is the identity ProcessIdentity reads for that PID, and it was enough to stop the service'
        lines.size() == 2
        lines[1] == javaReads
        next.exit == 0
        next.out.contains("stopping the previous service (process group $first)")
        !ProcessHandle.of(first).map { it.alive }.orElse(false)
    }

    @Requires({ Files.isSymbolicLink(Path.of('/proc/self/cwd')) })
    def "a service an older Stoker started (its PID alone in the file) is still stopped: it works in a release of the target"() {
        given: 'a service deployed, its file rewritten as an older Stoker wrote it'
        assert deploy(service('exec sleep 60', 'true'), '1.0').exit == 0
        long first = Files.readAllLines(dir.resolve('service.pid'))[0] as long
        Files.writeString(dir.resolve('service.pid'), "$first\n")

        when:
        def next = deploy(service('exec sleep 60', 'true'), '1.1')

        then:
        next.exit == 0
        next.out.contains("stopping the previous service (process group $first, working in ")
        !ProcessHandle.of(first).map { it.alive }.orElse(false)
    }

    def "a process that has the recorded PID now but is not the service is left running, and the deployment goes on: #why"() {
        given: 'a process of another program, its PID in service.pid'
        stranger = new ProcessBuilder('sleep', '300').start()
        Files.writeString(dir.resolve('service.pid'), "${stranger.pid()}\n" + (identity == null ? '' : "$identity\n"))

        when:
        def next = deploy(service('exec sleep 60', 'true'), '1.0')

        then: 'the other program still runs; the deployment said why it stopped nothing and started its service'
        stranger.alive
        next.exit == 0
        next.out.contains("not stopping process ${stranger.pid()}: $said")
        !next.out.contains('stopping the previous service')
        next.out.contains('healthcheck passed')

        and: 'the file names the new service now'
        Files.readAllLines(dir.resolve('service.pid'))[0] as long != stranger.pid()

        where:
        why                                       | identity                                            | said
        'its start differs (the PID was reused)'  | 'boot 00000000-0000-0000-0000-000000000000 start 1' | 'it is not the service'
        'no start recorded (an older Stoker)'     | null                                                | 'service.pid does not say when'
    }
}
