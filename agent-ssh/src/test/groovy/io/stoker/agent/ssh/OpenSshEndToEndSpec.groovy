package io.stoker.agent.ssh

import io.stoker.agent.ssh.fixtures.OpenSshServer
import io.stoker.agent.ssh.fixtures.TestKeys
import io.stoker.engine.exec.local.LocalExecutor
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.run.RunListener
import io.stoker.engine.run.RunState
import io.stoker.engine.run.TaskState
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit

import static io.stoker.agent.ssh.AgentFixture.await
import static io.stoker.agent.ssh.AgentFixture.fast
import static io.stoker.agent.ssh.AgentFixture.ms
import static io.stoker.agent.ssh.AgentFixture.on
import static io.stoker.agent.ssh.RemoteExecutionSpec.groupAlive
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * End to end through Debian's OpenSSH server: two agents (two sshd processes on 127.0.0.1, one client key) run a
 * job through the real engine; connections are cut by killing sshd's per-connection processes.
 */
@Requires({ OpenSshServer.available() })
@Timeout(120)
class OpenSshEndToEndSpec extends Specification {

    @Shared
    TestKeys clientKey = TestKeys.generate()

    @TempDir
    Path tmp

    OpenSshServer sshdA
    OpenSshServer sshdB
    SshAgent a
    SshAgent b
    EngineFixture f
    AgentFixture.Events events = new AgentFixture.Events()

    def setup() {
        sshdA = OpenSshServer.start(tmp.resolve('sshd-a'), clientKey, TestKeys.generate())
        sshdB = OpenSshServer.start(tmp.resolve('sshd-b'), clientKey, TestKeys.generate())
        a = agent(sshdA, 'a')
        b = agent(sshdB, 'b')
        // a login through OpenSSH runs the user's shell rc files: give a loaded machine time for the first one
        assert await(30000) { a.status() == AgentStatus.ONLINE && b.status() == AgentStatus.ONLINE }
        f = new EngineFixture(tmp.resolve('engine'), new AgentFixture.Routing([a: a.executor(), b: b.executor()],
                new LocalExecutor(Files.createDirectories(tmp.resolve('scratch')))))
    }

    def cleanup() {
        f?.close()
        [a, b]*.close()
        [sshdA, sshdB]*.stop()
    }

    /**
     * {@link AgentFixture#fast} with a 2 s heartbeat: a heartbeat through OpenSSH is a login shell, and on a loaded
     * machine one took longer than the 1.1 s a 300 ms heartbeat allows, which set a healthy agent offline. Remote
     * commands get the product's 15 s, not the fixture's 5 s: a task's launch (one login shell) once took over 5 s
     * in a full suite while the machine also built a second clone, and failed as "cannot start".
     */
    static SshAgent.Settings openSshSettings(long lostMillis, long heartbeatMillis = 2000) {
        def fast = fast(lostMillis)
        // shell mode: these features look at shell mode's attempt files; PersistentOpenSshSpec covers the agent program
        new SshAgent.Settings(Duration.ofMillis(ms(heartbeatMillis)), fast.lostTimeout(),
                Duration.ofMillis(ms(15_000))).withJava('none')
    }

    /*
     * 12 s: a full suite at load 6 (2026-11-28) missed a few beats in a row and lost both agents at 4 s mid-feature.
     * A 5 s heartbeat: a shell-mode beat is a login shell given twice the heartbeat and 0.5 s, and three slow ones in a
     * row close the connection; at a 2 s heartbeat a suite at load 5 (2026-11-28) had three beats over 4.5 s and cut
     * the cross-agent pipe's feed. A cut connection is seen at once, whatever the heartbeat.
     */
    SshAgent agent(OpenSshServer sshd, String name, HostKeyCheck check = null, long lostMillis = 12_000) {
        def s = new SshAgent(sshd.endpoint(name, check ?: new HostKeyCheck.Pinned(sshd.hostKeyFingerprint()),
                tmp.resolve("work-$name")), openSshSettings(lostMillis, 5000), events)
        s.start()
        s
    }

    def "a sample job runs across two agents, with files handed over and a cross-agent pipe"() {
        given:
        f.workspace.resolve('VERSION').text = '1.2.3\n'
        long bytes = (1..100000).sum { "$it\n".length() } as long

        when:
        def run = f.run(job('sample',
                on('a', task('build', 'mkdir -p dist && echo "app $(cat VERSION) built on $(hostname)" > dist/app.txt')),
                on('b', task('test', [needs: ['build']], 'grep -q "app 1.2.3" dist/app.txt && echo tested > dist/test.txt')),
                on('a', task('gen', [needs: ['test']], 'seq 1 100000')),
                on('b', task('count', [input: 'gen'], 'sleep 0.5; wc -c | tr -d " " | sed "s/^/bytes=/" >> "$STOKER_OUTPUT"')),
                task('report', [needs: ['count']], 'cat dist/app.txt dist/test.txt')))

        then:
        run.state() == RunState.SUCCEEDED
        run.task('count').outputs() == [bytes: bytes as String]
        f.log(run, 'report').contains(' out tested')
        f.workspace.resolve('dist/test.txt').text == 'tested\n'
        await(30000) { a.status() == AgentStatus.ONLINE && b.status() == AgentStatus.ONLINE } // back at once if a beat was missed
    }

    def "a connection cut mid-task re-attaches without losing or doubling a log line"() {
        given:
        def handle = f.engine.start(f.request(job('cut',
                on('a', task('count', 'for i in $(seq 1 60); do echo "n=$i"; sleep 0.05; done; exit 7')))), RunListener.NONE)

        when: 'the connection is cut twice while the task prints, each time after 15 more lines reached the log (not after a nap)'
        2.times { int cut ->
            assert await(30000) {
                a.status() == AgentStatus.ONLINE && !a.running().isEmpty() && linesLogged(handle, 'count') >= 15 * (cut + 1)
            }
            assert sshdA.cutConnections() > 0
        }
        def run = handle.result().get(ms(60_000), TimeUnit.MILLISECONDS)
        def lines = f.log(run, 'count').readLines().findAll { it.contains(' out n=') }.collect { it.substring(it.indexOf(' out n=') + 5) }

        then:
        run.task('count').exitCode() == 7
        run.task('count').outcome().reason() == 'exit code 7'
        lines == (1..60).collect { "n=$it".toString() }
        events.statuses.count { it.startsWith('OFFLINE') } >= 2
    }

    def "an agent that stays dead fails its task as agent lost, and the run ends"() {
        given:
        def handle = f.engine.start(f.request(job('dead', on('b', task('wait', 'echo up; sleep 60')))), RunListener.NONE)
        def dir = tmp.resolve('work-b/runs/dead-1/attempts/wait.1')
        assert await(30000) { Files.exists(dir.resolve('pid')) && dir.resolve('pid').text.trim() }
        long pgid = dir.resolve('pid').text.trim() as long
        long wrapper = dir.resolve('wrapper.pid').text.trim() as long

        when:
        sshdB.stop()
        def run = handle.result().get(ms(60_000), TimeUnit.MILLISECONDS)

        then:
        run.state() == RunState.FAILED
        run.task('wait').state() == TaskState.FAILED
        run.task('wait').outcome().reason().startsWith('agent lost: b unreachable for')
        f.log(run, 'wait').contains('agent lost')

        cleanup: 'the agent never comes back to reap its task: end it here, by the PIDs it recorded'
        ProcessHandle.of(wrapper).ifPresent { it.destroyForcibly() }
        ['kill', '-s', 'KILL', '--', "-$pgid"].execute().waitFor()
    }

    def "a wrong host key blocks the agent and its task fails with the reason"() {
        given:
        def wrong = TestKeys.generate().fingerprint()
        def impostor = agent(sshdA, 'x', new HostKeyCheck.Pinned(wrong))
        def g = new EngineFixture(tmp.resolve('engine-x'), new AgentFixture.Routing([x: impostor.executor()]))

        expect:
        await(30_000) { impostor.status() == AgentStatus.BLOCKED }
        impostor.statusReason() == "host key never matched its pin: expected $wrong, got ${sshdA.hostKeyFingerprint()}".toString()

        when:
        def run = g.run(job('j', on('x', task('t', 'echo never'))))

        then:
        run.task('t').state() == TaskState.FAILED
        run.task('t').outcome().reason().contains("agent x is blocked: host key never matched its pin: expected $wrong")
        !Files.exists(tmp.resolve('work-x/runs'))

        cleanup:
        g?.close()
        impostor?.close()
    }

    def "a cancelled remote task has its whole process group killed"() {
        given:
        def handle = f.engine.start(f.request(job('cancel', on('a', task('sleepy', 'sleep 300 & sleep 300')))), RunListener.NONE)
        // a task start is a login through OpenSSH (rc files, a new shell): on a loaded machine it took over 10 s
        Path pidFile = null
        assert await(30000) {
            pidFile = pidFileUnder(tmp.resolve('work-a/runs'))
            pidFile != null && pidFile.text.trim()
        }
        long pgid = pidFile.text.trim() as long
        assert groupAlive(pgid)

        when:
        handle.cancel()
        def run = handle.result().get(ms(30_000), TimeUnit.MILLISECONDS)

        then:
        run.state() == RunState.CANCELLED
        run.task('sleepy').state() == TaskState.CANCELLED
        await(15000) { !groupAlive(pgid) }
    }

    /**
     * A task's pid file under an agent's runs directory once it is written, else null. The agent writes {@code pid.tmp}
     * and renames it: a walk that lists it and then looks at it may find it gone, which is "not yet" too.
     */
    private static Path pidFileUnder(Path runs) {
        if (!Files.exists(runs)) return null
        try {
            Files.walk(runs).withCloseable { s -> s.filter { it.fileName.toString() == 'pid' }.findFirst().orElse(null) }
        } catch (UncheckedIOException | java.nio.file.NoSuchFileException ignored) {
            null
        }
    }

    /** How many stdout lines of a task of a running run its log file holds so far (0 before the log exists). */
    private static int linesLogged(io.stoker.engine.run.RunHandle handle, String task) {
        String log = handle.snapshot().task(task)?.log()
        if (log == null || !Files.exists(Path.of(log))) return 0
        Files.readAllLines(Path.of(log)).count { it.contains(' out ') } as int
    }
}
