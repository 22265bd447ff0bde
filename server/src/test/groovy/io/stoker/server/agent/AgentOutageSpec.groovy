package io.stoker.server.agent

import io.stoker.server.MigratedDatabase
import io.stoker.server.ScratchDirectory
import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * What a user sees of a running task when the link to its SSH agent drops: a short outage is told in the task's
 * log and the task goes on; an agent away past the lost timeout fails the task as "agent lost" with no exit code,
 * since nobody saw its process end. The agent is reached through a {@link TcpProxy} that can cut the link.
 */
class AgentOutageSpec extends ServerSpecification {
    /**
     * A paused JVM on a loaded machine is not a lost agent; and the short outage must fit in it: the spec sees the
     * drop, lets the task write, restores the link, and the agent reconnects (backoff, SSH login) and re-attaches.
     */
    static final Duration LOST = Duration.ofSeconds(12 * Http.TIMEOUT_FACTOR)

    @Shared Path agentDirs = ScratchDirectory.removedAtExit('AgentOutageSpec') // agents may still clean up here as the spec ends
    @Shared @TempDir Path gates
    @Shared List<Closeable> fixtures = []

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withAgentTimes(Duration.ofSeconds(1), LOST)))
    }

    def cleanupSpec() {
        ['lost', 'cut', 'outage'].each { Files.writeString(gates.resolve(it), '') } // bounded gate loops end at once
        fixtures.reverse()*.close()
    }

    /** Registers an agent reached through {@code proxy}, pinned to the SSH server's host key; waits until online. */
    void register(String name, SshTestServer ssh, TcpProxy proxy) {
        def r = http.post('/agents', [name: name, host: '127.0.0.1', port: proxy.port(), user: ssh.user(),
                privateKey: ssh.clientKeys().privateKeyText(), labels: [name], executors: 1,
                workDir: agentDirs.resolve(name).toString(), hostKey: ssh.hostKeyFingerprint()])
        assert r.status == 201, r.text
        // a first connection in persistent mode starts two JVMs on the host: seconds each on a loaded machine
        Http.eventually(60_000) { http.get("/agents/$name").json.status == 'online' }
    }

    /** An SSH server and a proxy in front of it, closed after the spec. */
    List start() {
        def ssh = SshTestServer.start()
        def proxy = new TcpProxy(ssh.port())
        fixtures << ssh << proxy
        [ssh, proxy]
    }


    /** A script that waits (bounded, 60 s) for a gate file the spec creates. */
    String gate(String name) {
        def f = gates.resolve(name)
        "i=0; while [ ! -f '$f' ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i+1)); done"
    }

    def "a task whose agent stays away past the lost timeout fails as 'agent lost' with no exit code"() {
        given:
        def (SshTestServer ssh, TcpProxy proxy) = start()
        register('gone', ssh, proxy)
        freestyle('lost', """job('j') { task('t') { agent 'gone'; sh '''echo started; ${gate('lost')}''' } }""")
        def key = trigger('lost', 'j')
        Http.eventually { log(key, 't').contains(' out started') }

        when: 'the link is cut for good'
        proxy.cut()
        def run = awaitEnd(key, LOST.toMillis() + 30_000)

        then: 'the reason says so; the exit code is unknown, not 255'
        run.status == 'failed'
        run.tasks.t.status == 'failed'
        run.tasks.t.reason.startsWith('agent lost')
        run.tasks.t.containsKey('exitCode')
        run.tasks.t.exitCode == null
        http.get("/projects/lost/jobs/j/runs/1").json.tasks.t.exitCode == null
    }

    def "a short outage of the link to a running task's agent is told in the task's log, and the task goes on"() {
        given:
        def (SshTestServer ssh, TcpProxy proxy) = start()
        register('flaky', ssh, proxy)
        freestyle('outage', """job('j') { task('t') { agent 'flaky'; sh '''echo before; ${gate('cut')}; echo during; touch ${gates.resolve('during')}; ${gate('outage')}; echo after''' } }""")
        def key = trigger('outage', 'j')
        Http.eventually { log(key, 't').contains(' out before') }

        when: 'the link is cut while the task runs'
        proxy.cut()

        then: 'the log says the link dropped and how long the agent may stay away'
        Http.eventually { log(key, 't').contains("system lost the link to agent flaky; waiting up to ${LOST.toSeconds()}s for it to come back") }

        when: 'the task writes a line while the link is down, the link comes back, and then the task ends'
        Files.writeString(gates.resolve('cut'), '')
        Http.eventually { Files.exists(gates.resolve('during')) }
        proxy.restore()
        Http.eventually { log(key, 't') =~ /system re-attached to agent flaky after \d+(\.\d)?s; the output in between follows/ }
        Files.writeString(gates.resolve('outage'), '')
        def run = awaitEnd(key)

        then: 'it succeeded; the outage is told after the output before it, its end before the output made during it'
        run.status == 'succeeded'
        run.tasks.t.exitCode == 0
        def lines = log(key, 't').readLines()
        def at = { String text -> lines.findIndexOf { it.contains(text) } }
        at(' out before') < at('lost the link to agent flaky')
        at('lost the link to agent flaky') < at('re-attached to agent flaky')
        at('re-attached to agent flaky') < at(' out during')
        at(' out during') < at(' out after')
    }
}
