package io.stoker.agent.ssh

import io.stoker.agent.ssh.fixtures.OpenSshServer
import io.stoker.agent.ssh.fixtures.TestKeys
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.run.RunListener
import io.stoker.engine.run.RunState
import io.stoker.engine.run.TaskState
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import static io.stoker.agent.ssh.AgentFixture.await
import static io.stoker.agent.ssh.AgentFixture.ms
import static io.stoker.agent.ssh.AgentFixture.on
import static io.stoker.agent.ssh.RemoteExecutionSpec.groupAlive
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * The persistent agent through Debian's OpenSSH server: the agent program is uploaded and started over SSH, tasks
 * run through it, a cancel kills the task's process group, a cut connection re-attaches without losing a line, and
 * a host without Java runs tasks in shell mode.
 */
@Requires({ OpenSshServer.available() })
@Timeout(150)
class PersistentOpenSshSpec extends Specification {

    @TempDir
    Path tmp

    OpenSshServer sshd
    SshAgent a
    EngineFixture f
    AgentFixture.Events events = new AgentFixture.Events()

    def setup() {
        sshd = OpenSshServer.start(tmp.resolve('sshd'), TestKeys.generate(), TestKeys.generate())
    }

    def cleanup() {
        f?.close()
        a?.close()
        sshd?.stop()
        AgentDaemons.stopUnder(tmp) // its daemon cleans scratch files under tmp at its own pace
    }

    /**
     * An online agent on the OpenSSH server with a 5 s heartbeat, and an engine whose tasks on 'a' run on it; its
     * running tasks are failed when it is unreachable for {@code lostMillis}. As in {@link OpenSshEndToEndSpec}: at a
     * 2 s heartbeat a loaded machine's login shells missed three beats in a row, and a reconnect (a login shell, then
     * the program's relay JVM) may take more than 4 s.
     */
    SshAgent connect(String java = null, long lostMillis = 12_000) {
        a = new SshAgent(sshd.endpoint('a', new HostKeyCheck.Pinned(sshd.hostKeyFingerprint()), tmp.resolve('work-a')),
                OpenSshEndToEndSpec.openSshSettings(lostMillis, 5000).withJava(java), events)
        a.start()
        // the first connection uploads the program and starts two JVMs on a machine that may be loaded
        assert await(45000) { a.status() == AgentStatus.ONLINE }
        f = new EngineFixture(tmp.resolve('engine'), new AgentFixture.Routing([a: a.executor()]))
        a
    }

    def "servers connecting to one host at once (a cluster's) each install the program and run in persistent mode"() {
        given: 'three servers (owners) connecting to one host and work directory, started together'
        def endpoint = sshd.endpoint('a', new HostKeyCheck.Pinned(sshd.hostKeyFingerprint()), tmp.resolve('work-shared'))
        List<SshAgent> several = (1..3).collect { int i ->
            new SshAgent(endpoint, OpenSshEndToEndSpec.openSshSettings(12_000, 5000).withJava(null).withOwner("server-$i"),
                    new AgentFixture.Events())
        }

        when:
        several.each { agent -> Thread.start { agent.start() } }

        then: 'none fell back to shell mode because another upload moved the program first'
        assert await(90000) { several.every { it.status() == AgentStatus.ONLINE } },
                several.collect { "${it.status()} ${it.statusReason()} ${it.mode()} ${it.modeReason()}" }
        several.collect { [it.mode(), it.modeReason()] } == [[AgentMode.PERSISTENT, null]] * 3

        and: "one program is left, and no upload's temporary file"
        Files.list(tmp.resolve('work-shared/agent')).withCloseable { s -> s.map { it.fileName.toString() }.toList() }
                .findAll { it.startsWith('stoker-agent-') }.with { it.size() == 1 && it[0] ==~ /stoker-agent-\p{XDigit}{16}\.jar/ }

        cleanup:
        several*.close()
    }

    def "a task runs through the agent program: output, exit code, outputs and workspace files come back"() {
        given:
        connect()
        f.workspace.resolve('in.txt').text = 'from the server\n'

        when:
        def run = f.run(job('j', on('a', task('t', 'cat in.txt; mkdir -p out && echo made > out/f.txt; echo v=1 >> "$STOKER_OUTPUT"'))))

        then:
        a.mode() == AgentMode.PERSISTENT
        a.modeReason() == null
        run.state() == RunState.SUCCEEDED
        run.task('t').outputs() == [v: '1']
        f.log(run, 't').contains(' out from the server')
        f.workspace.resolve('out/f.txt').text == 'made\n'
        Files.list(tmp.resolve('work-a/agent')).withCloseable { s -> s.anyMatch { it.fileName.toString() ==~ /stoker-agent-\p{XDigit}{16}\.jar/ } }
    }

    def "cancel kills the task's whole process group on the agent"() {
        given:
        connect()
        def (handle, pgid) = sleepyGroup('cancel')

        when:
        handle.cancel()
        def run = handle.result().get(ms(30_000), TimeUnit.MILLISECONDS)

        then:
        run.state() == RunState.CANCELLED
        run.task('sleepy').state() == TaskState.CANCELLED
        await(15000) { !groupAlive(pgid) }
    }

    def "removing the agent kills its running task's processes there and fails the task, rather than leaving them to run on"() {
        given:
        connect()
        def (handle, pgid) = sleepyGroup('removed')

        when: 'the server deletes the agent (stoker agent remove --force)'
        a.remove()
        def run = handle.result().get(ms(30_000), TimeUnit.MILLISECONDS)

        then:
        run.state() == RunState.FAILED
        run.task('sleepy').outcome().reason().contains('agent lost: a was removed')
        run.task('sleepy').exitCode() == null // the removal's kill gave 137, which would read as the task's own
        await(15000) { !groupAlive(pgid) }
    }

    def "a cut connection re-attaches to the agent program without losing or doubling a line"() {
        given: 'an agent given time to come back: this feature is about the re-attach, not the lost timeout'
        // on a loaded machine a reconnect's first login can miss its 1 s, and the next try come more than 4 s after the cut
        connect(null, 30_000)
        def handle = f.engine.start(f.request(job('cut',
                on('a', task('count', 'for i in $(seq 1 60); do echo "n=$i"; sleep 0.05; done; exit 7')))), RunListener.NONE)

        when: 'the connection is cut twice while the task prints, each time after the agent was back and 15 more lines came'
        2.times { int cut ->
            assert await(30000) {
                // back online after the previous cut (the status alone may not have seen the cut yet)
                events.statuses.count { it.startsWith('OFFLINE') } >= cut && events.statuses.last() == 'ONLINE' &&
                        a.status() == AgentStatus.ONLINE && linesLogged(handle, 'count') >= 15 * (cut + 1)
            } : "after cut ${cut}: statuses ${events.statuses}, ${linesLogged(handle, 'count')} lines logged"
            assert sshd.cutConnections() > 0
        }
        def run = handle.result().get(ms(90_000), TimeUnit.MILLISECONDS)
        def lines = f.log(run, 'count').readLines().findAll { it.contains(' out n=') }.collect { it.substring(it.indexOf(' out n=') + 5) }

        then:
        run.task('count').exitCode() == 7
        lines == (1..60).collect { "n=$it".toString() }
        events.statuses.count { it.startsWith('OFFLINE') } >= 2
        a.mode() == AgentMode.PERSISTENT
    }

    def "a host without a Java for the agent program runs its tasks in shell mode and says why"() {
        given: 'the only Java the agent may use is missing'
        connect('/opt/no-such-jdk/bin/java')

        when:
        def run = f.run(job('j', on('a', task('t', 'echo in shell mode'))))

        then:
        a.mode() == AgentMode.SHELL
        a.modeReason() == 'no Java on the host'
        run.state() == RunState.SUCCEEDED
        f.log(run, 't').contains(' out in shell mode')
        !Files.exists(tmp.resolve('work-a/agent'))
    }

    /** Starts job {@code name}'s task 'sleepy' on the agent (two sleeps in its process group): its handle and group. */
    private List sleepyGroup(String name) {
        def pidFile = tmp.resolve("${name}.pid")
        def handle = f.engine.start(f.request(job(name, on('a', task('sleepy', "echo \$\$ > '$pidFile'; sleep 300 & sleep 300")))),
                RunListener.NONE)
        assert await(30000) { Files.exists(pidFile) && pidFile.text.trim() }
        long pgid = pidFile.text.trim() as long
        assert groupAlive(pgid)
        [handle, pgid]
    }

    private static int linesLogged(io.stoker.engine.run.RunHandle handle, String task) {
        String log = handle.snapshot().task(task)?.log()
        if (log == null || !Files.exists(Path.of(log))) return 0
        Files.readAllLines(Path.of(log)).count { it.contains(' out ') } as int
    }
}
