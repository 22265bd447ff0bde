package io.stoker.server.cluster

import io.stoker.server.MigratedPostgres
import io.stoker.server.ScratchDirectory
import io.stoker.agent.ssh.fixtures.OpenSshServer
import io.stoker.server.Http
import io.stoker.server.ServerJvm
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.TempDir

import java.nio.file.Path

/**
 * Two real servers on one PostgreSQL database and an SSH agent (Debian's sshd on 127.0.0.1): an agent registered,
 * installed or deleted through one server is known as such to the other without a restart (the change crosses over
 * LISTEN/NOTIFY and the other server reads the agent again).
 */
@Stepwise
@Requires({ TestPostgres.available() && OpenSshServer.available() })
class ClusterSshAgentSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared Path sshDir = ScratchDirectory.removedAtExit('ClusterSshAgentSpec') // agents may still clean up here as the spec ends
    @Shared TestPostgres pg
    @Shared OpenSshServer sshd
    @Shared List<ServerJvm> servers = []

    def setupSpec() {
        pg = MigratedPostgres.create()
        sshd = OpenSshServer.start(sshDir.resolve('sshd'))
        Map env = [STOKER_DB: pg.dbUrl().toString(), STOKER_SLOTS: '2', STOKER_COMPILER: 'in-process',
                   STOKER_CLUSTER_LEASE: ClusterLeases.STEADY]
        // INFO: the servers log each agent going online and offline, which the first feature reads
        def options = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Dstoker.test.logLevel=INFO']
        servers << ServerJvm.start(dataDir, options, env)
        servers << ServerJvm.start(dataDir, options, env)
        def made = servers[0].http.post('/projects', [name: 'ssh', jobfile: '''
            job('remote') { task('t') { agent 'only-on-box'; sh 'echo "on $(hostname) as $(whoami)"' } }
        '''])
        assert made.status == 201, made.text
    }

    def cleanupSpec() {
        servers.each { it.close() }
        sshd?.stop()
        pg?.close()
    }

    ServerJvm getA() { servers[0] }

    /** Waits for the agent to be online there; when it is not, says what that server shows of it (status, reason). */
    private static boolean comesOnline(ServerJvm s) {
        try {
            Http.eventually(90_000) { s.http.get('/agents/box').json.status == 'online' }
        } catch (AssertionError e) {
            throw new AssertionError("agent box is not online on ${s.url()}: ${s.http.get('/agents/box').text}", e)
        }
    }

    ServerJvm getB() { servers[1] }

    def "an SSH agent registered through one server is online on the other, and runs triggered there use it"() {
        when: 'the agent is registered through A only'
        def made = a.http.post('/agents', [name: 'box', host: sshd.host(), port: sshd.port(), user: sshd.user(),
                privateKey: sshd.clientKeys().privateKeyText(), labels: ['only-on-box'], executors: 2,
                workDir: sshDir.resolve('work').toString(), hostKey: sshd.hostKeyFingerprint()])

        then: 'B lists it and connects to it, as A does (a login through OpenSSH may take a while on a loaded machine)'
        made.status == 201
        comesOnline(b)
        comesOnline(a)
        b.http.get('/agents/box').json.labels.contains('only-on-box')

        when: 'runs needing its label are triggered through B, so either server may claim them'
        def keys = (1..4).collect { b.http.post('/projects/ssh/jobs/remote/runs', [:]).json.key }
        def runs = keys.collect { key ->
            Http.eventually(120_000) {
                def r = b.http.get("/runs/$key").json
                r.status in ['succeeded', 'failed', 'cancelled'] ? r : null
            }
        }

        then: 'each one ran on the agent, whichever server held it'
        runs*.status == ['succeeded'] * 4
        keys.every { b.http.get("/runs/$it/tasks/t/log").text.contains("running on agent 'box'") }

        and: 'both servers use the one agent program, side by side: neither replaced the other (or made it fall back)'
        servers.each { s ->
            def agent = s.http.get('/agents/box').json
            assert agent.mode == 'persistent', "agent box on ${s.url()}: $agent"
        }
        servers.every { s -> s.output.every { !it.contains('agent box offline: connection lost') } }

        and: 'every message one server sent the other was one it could read (agent events stay on their server)'
        servers.every { s -> s.output.every { !it.contains('a message that is not one was ignored') } }
    }

    def "an install through one server gives the other the agent's automatic labels"() {
        when:
        def installed = a.http.install('box')

        then:
        installed.status == 200
        !installed.json.labels.isEmpty()
        Http.eventually(30_000) { b.http.get('/agents/box').json.automaticLabels == installed.json.labels }
    }

    def "an SSH agent deleted through one server is gone from the other's list"() {
        when:
        def deleted = a.http.delete('/agents/box')

        then:
        deleted.status == 204
        Http.eventually(30_000) { !b.http.get('/agents').json*.name.contains('box') }
        b.http.get('/agents/box').status == 404
    }
}
