package io.stoker.agent.ssh

import io.stoker.agent.ssh.fixtures.OpenSshServer
import io.stoker.agent.ssh.fixtures.TestKeys
import io.stoker.engine.fixtures.EngineFixture
import io.stoker.engine.run.RunListener
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import static io.stoker.agent.ssh.AgentFixture.await
import static io.stoker.agent.ssh.AgentFixture.on
import static io.stoker.agent.ssh.RemoteExecutionSpec.groupAlive
import static io.stoker.engine.fixtures.Jobs.job
import static io.stoker.engine.fixtures.Jobs.task

/**
 * A server of a cluster that dies leaves its tasks running on a shared agent (detached in shell mode, held by the
 * agent program in persistent mode). The server taking its runs over stops them, by the dead server's name to the
 * agent, before it ends those runs or starts them again: only the named runs' processes, and it returns once they are
 * gone.
 */
@Requires({ OpenSshServer.available() })
@Timeout(180)
class LeftoverStopSpec extends Specification {

    @TempDir
    Path tmp

    OpenSshServer sshd
    List<SshAgent> agents = []
    List<EngineFixture> engines = []

    def setup() {
        sshd = OpenSshServer.start(tmp.resolve('sshd'), TestKeys.generate(), TestKeys.generate())
    }

    def cleanup() {
        engines*.close()
        agents*.close()
        sshd?.stop()
        AgentDaemons.stopUnder(tmp)
    }

    /** A server's connection to the shared agent, by that server's name (its owner), online. */
    SshAgent serverAgent(String owner, String java) {
        def endpoint = sshd.endpoint('a', new HostKeyCheck.Pinned(sshd.hostKeyFingerprint()), tmp.resolve('work'))
        // patient heartbeats: a loaded machine's slow answers must not cut the connection under a starting task
        def settings = new SshAgent.Settings(Duration.ofMillis(AgentFixture.ms(3000)),
                Duration.ofMillis(AgentFixture.ms(60_000)), Duration.ofMillis(AgentFixture.ms(30_000)))
        def a = new SshAgent(endpoint, settings.withJava(java).withOwner(owner), new AgentFixture.Events())
        agents << a
        a.start()
        assert await(60000) { a.status() == AgentStatus.ONLINE }, "${a.status()} ${a.statusReason()}"
        a
    }

    def "the server taking over a dead server's run stops that run's task on the agent, and only that run's (#mode mode)"() {
        given: 'server A runs a task that works for minutes on the shared agent, and so does server C, for a run of its own'
        def dead = serverAgent('cluster-server A', java)
        assert dead.mode() == mode
        long taken = sleepy(dead, 'taken')
        def otherServer = serverAgent('cluster-server C', java)
        long other = sleepy(otherServer, 'other')

        when: 'A and C die (their connections go without a word for their tasks), and B stops what A left for run taken-1'
        [dead, otherServer]*.close()
        def b = serverAgent('cluster-server B', java)
        def problem = b.stopLeftovers('cluster-server A', ['taken-1'], Duration.ofSeconds(30))

        then: "it returns once that run's task is gone"
        problem.empty
        !groupAlive(taken)

        and: "C's run is left alone: it is not one of the runs taken over"
        groupAlive(other)

        when: "C's run is taken over too"
        problem = b.stopLeftovers('cluster-server C', ['other-1'], Duration.ofSeconds(30))

        then:
        problem.empty
        !groupAlive(other)

        cleanup: 'the tasks are processes of this machine: none outlives a failed feature'
        // '--': procps' kill reads 'kill -KILL -537' as a kill of group 5 (seen: it took down the whole machine)
        [taken, other].each { if (it) ['kill', '-s', 'KILL', '--', "-$it"].execute().waitFor() }

        where:
        mode                 | java
        AgentMode.SHELL      | 'none'
        AgentMode.PERSISTENT | null
    }

    /**
     * Starts run {@code name}-1, through {@code server}'s connection, whose task on the agent records its process group
     * and works for minutes; that group.
     */
    private long sleepy(SshAgent server, String name) {
        def pidFile = tmp.resolve("${name}.pid")
        def f = new EngineFixture(tmp.resolve("engine-$name"), new AgentFixture.Routing([a: server.executor()]))
        engines << f
        f.engine.start(f.request(job(name, on('a', task('sleepy', "echo \$\$ > '$pidFile'; sleep 300 & sleep 300")))),
                RunListener.NONE)
        assert await(30000) { Files.exists(pidFile) && pidFile.text.trim() }
        long pgid = pidFile.text.trim() as long
        assert groupAlive(pgid)
        pgid
    }
}
