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

import java.nio.file.Files
import java.nio.file.Path

/**
 * Two real servers on one PostgreSQL database and an SSH agent (Debian's sshd on 127.0.0.1): a task one server runs
 * on the agent makes it busy through both. The other server refuses to remove or re-pin it, and both show the task on
 * the agent's executors, not among the built-in ones.
 */
@Stepwise
@Requires({ TestPostgres.available() && OpenSshServer.available() })
class ClusterAgentBusySpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared Path sshDir = ScratchDirectory.removedAtExit('ClusterAgentBusySpec') // agents may still clean up here as the spec ends
    @Shared TestPostgres pg
    @Shared OpenSshServer sshd
    @Shared List<ServerJvm> servers = []
    @Shared String key
    @Shared ServerJvm holder
    @Shared ServerJvm other

    def setupSpec() {
        pg = MigratedPostgres.create()
        sshd = OpenSshServer.start(sshDir.resolve('sshd'))
        Map env = [STOKER_DB: pg.dbUrl().toString(), STOKER_SLOTS: '2', STOKER_COMPILER: 'in-process',
                   STOKER_CLUSTER_LEASE: ClusterLeases.STEADY]
        def options = ['-Xmx256m', '-XX:TieredStopAtLevel=1']
        servers << ServerJvm.start(dataDir, options, env)
        servers << ServerJvm.start(dataDir, options, env)
        // the task ends once the spec makes the gate file (or gives up after about two minutes)
        def gate = sshDir.resolve('gate')
        def made = servers[0].http.post('/projects', [name: 'busy', jobfile: """
            job('remote') { task('t') { agent 'only-on-box'; sh 'for i in \$(seq 1 600); do [ -f $gate ] && exit 0; sleep 0.2; done; exit 1' } }
        """.toString()])
        assert made.status == 201, made.text
    }

    def cleanupSpec() {
        servers.each { it.close() }
        sshd?.stop()
        pg?.close()
    }

    def "a task runs on the agent through the server holding its run"() {
        given: 'the agent is registered through the first server and online on both'
        def made = servers[0].http.post('/agents', [name: 'box', host: sshd.host(), port: sshd.port(), user: sshd.user(),
                privateKey: sshd.clientKeys().privateKeyText(), labels: ['only-on-box'], executors: 2,
                workDir: sshDir.resolve('work').toString(), hostKey: sshd.hostKeyFingerprint()])
        assert made.status == 201, made.text
        servers.each { s -> Http.eventually(90_000) { s.http.get('/agents/box').json.status == 'online' } }

        when:
        key = servers[0].http.post('/projects/busy/jobs/remote/runs', [:]).json.key
        holder = Http.eventually(120_000) {
            servers.find { s -> s.http.get('/agents/box').json.tasks == [[run: key, task: 't']] && holds(s) }
        }
        other = servers.find { it != holder }

        then: 'the run says so too, once the holder has saved the attempt it started (the agent lists its task first)'
        Http.eventually(30_000) { servers[0].http.get("/runs/$key").json.tasks.t.status == 'running' }
    }

    def "the other server shows the task on the agent's executors, not as one of its built-in ones"() {
        expect:
        Http.eventually(30_000) {
            def executors = other.http.get('/executors').json
            def box = executors.agents.find { it.name == 'box' }
            box.busy == 1 && box.tasks*.run == [key] && executors.local.tasks.every { it.run != key }
        }
        other.http.get('/agents/box').json.tasks == [[run: key, task: 't']]
    }

    def "the other server refuses to remove the busy agent or re-pin its host key, and the task runs on"() {
        when:
        def removed = other.http.delete('/agents/box')
        def pinned = other.http.put('/agents/box/host-key', [hostKey: sshd.hostKeyFingerprint()])

        then:
        removed.status == 409
        removed.json.error == 'busy'
        removed.text.contains("agent 'box' runs 1 task ($key/t)")
        pinned.status == 409
        pinned.json.error == 'busy'

        and: 'the agent is still registered on both servers and the task goes on to succeed'
        servers.every { it.http.get('/agents/box').status == 200 }
        servers[0].http.get("/runs/$key").json.tasks.t.status == 'running'

        when:
        Files.createFile(sshDir.resolve('gate'))

        then:
        Http.eventually(120_000) { servers[0].http.get("/runs/$key").json.status == 'succeeded' }
    }

    def "once the task ended, the other server re-pins the agent's host key"() {
        given: 'the task gave its slot back on every server'
        Http.eventually(30_000) { servers.every { it.http.get('/agents/box').json.busy == 0 } }

        when:
        def pinned = other.http.put('/agents/box/host-key', [hostKey: sshd.hostKeyFingerprint()])

        then: 'the new connection comes online'
        pinned.status == 200
        Http.eventually(90_000) { other.http.get('/agents/box').json.status == 'online' }
    }

    /** Whether the server holds a run (only the one run of this spec runs). */
    private static boolean holds(ServerJvm s) {
        s.http.get('/cluster').json.servers.find { it.address == s.url() }?.runsHeld > 0
    }
}
