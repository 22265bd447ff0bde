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
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import static io.stoker.server.TaskProcesses.running

/**
 * Two real servers on one PostgreSQL database sharing an SSH agent (Debian's sshd on 127.0.0.1, persistent mode: the
 * agent program runs on this machine's Java). When the server running a task there is killed, the server taking its
 * run over first stops that task on the agent: a run queued again ({@code retryOnRestart}) never runs its next attempt
 * beside the killed one, and a run failed as lost leaves nothing running.
 */
@Requires({ TestPostgres.available() && OpenSshServer.available() })
class ClusterAgentTakeoverSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared Path sshDir = ScratchDirectory.removedAtExit('ClusterAgentTakeoverSpec') // agents may still clean up here as the spec ends
    @Shared @TempDir Path scratch
    @Shared TestPostgres pg
    @Shared OpenSshServer sshd
    @Shared List<ServerJvm> servers = []

    def setupSpec() {
        pg = MigratedPostgres.create()
        sshd = OpenSshServer.start(sshDir.resolve('sshd'))
        servers.addAll(ServerJvm.startCluster(2) { start() })
        def made = servers[0].http.post('/agents', [name: 'box', host: sshd.host(), port: sshd.port(), user: sshd.user(),
                privateKey: sshd.clientKeys().privateKeyText(), labels: ['box'], executors: 2,
                workDir: sshDir.resolve('work').toString(), hostKey: sshd.hostKeyFingerprint()])
        assert made.status == 201, made.text
    }

    def cleanupSpec() {
        servers.each { it.close() }
        sshd?.stop()
        pg?.close()
    }

    private ServerJvm start() {
        ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1'], [STOKER_DB: pg.dbUrl().toString(),
                STOKER_SLOTS: '2', STOKER_COMPILER: 'in-process', STOKER_CLUSTER_LEASE: '3s'])
    }

    /** The live servers, two of them (one replaces the server the last feature killed), the agent online on each. */
    private List<ServerJvm> live() {
        servers.removeAll { !it.process.alive }
        while (servers.size() < 2) servers << start()
        servers.each { s -> Http.eventually(90_000) { s.http.get('/agents/box').json.status == 'online' } }
        servers
    }

    def "a run queued again after its server was killed starts its next attempt only once the killed one is gone"() {
        given: "a job that retries on restart, whose task records its PID and notes any earlier attempt still running"
        def alive = live()
        Path pids = scratch.resolve('dup.pids')
        Path overlaps = scratch.resolve('dup.overlaps')
        def made = alive[0].http.post('/projects', [name: 'dup', jobfile: """
            job('dup') { retryOnRestart true; task('rem') { agent 'box'; sh '''
                for p in \$(cat $pids 2>/dev/null); do
                    s=\$(cut -d' ' -f3 /proc/\$p/stat 2>/dev/null || true)
                    if [ -n "\$s" ] && [ "\$s" != Z ]; then echo "\$p still runs" >> $overlaps; fi
                done
                echo \$\$ >> $pids
                [ "\$(wc -l < $pids)" -gt 1 ] || exec sleep 300
            ''' } }
        """.toString()])
        assert made.status == 201, made.text

        when: 'it runs on the agent, and the server holding the run is killed (SIGKILL)'
        def (String key, long first, Object other) = runThenKillHolder(alive, 'dup', pids)

        then: 'the other server queues it again and it succeeds'
        def run = Http.eventually(120_000) {
            def r = other.http.get("/runs/$key").json
            r.status in ['succeeded', 'failed', 'cancelled'] ? r : null
        }
        run.status == 'succeeded'

        and: 'the second attempt began after the first was stopped: it found the killed attempt gone'
        pids.readLines().size() == 2
        (Files.exists(overlaps) ? overlaps.text : '') == ''
        !running(first)

        cleanup:
        if (first) ProcessHandle.of(first).ifPresent { it.destroyForcibly() }
    }

    def "a run failed as lost leaves no task of it running on the agent"() {
        given:
        def alive = live()
        Path pids = scratch.resolve('lost.pids')
        def made = alive[0].http.post('/projects', [name: 'lost', jobfile: """
            job('lost') { task('rem') { agent 'box'; sh 'echo \$\$ >> $pids; exec sleep 300' } }
        """.toString()])
        assert made.status == 201, made.text

        when:
        def (String key, long pid, Object other) = runThenKillHolder(alive, 'lost', pids)

        then: 'the other server fails it as lost, and by then its task is no longer running on the agent'
        def run = Http.eventually(60_000) { def r = other.http.get("/runs/$key").json; r.status == 'failed' ? r : null }
        run.reason ==~ /server .+ lost/
        !running(pid)

        cleanup:
        if (pid) ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }
    }

    /**
     * Triggers job {@code name} of project {@code name}, waits for its task to write its PID to {@code pids}, and kills
     * (SIGKILL) the server holding the run; the run's key, that PID and the server left.
     */
    private static List runThenKillHolder(List<ServerJvm> alive, String name, Path pids) {
        String key = alive[0].http.post("/projects/$name/jobs/$name/runs", [:]).json.key
        Http.eventually(90_000) { Files.exists(pids) && pids.text.trim() }
        long pid = pids.readLines()[0].trim() as long
        def held = Http.eventually(30_000) {
            alive[0].http.get('/cluster').json.servers.find { it.runsHeld > 0 && it.alive }
        }
        ServerJvm holder = alive.find { it.url() == held.address }
        holder.process.destroyForcibly()
        assert holder.process.waitFor(30, TimeUnit.SECONDS)
        [key, pid, alive.find { it != holder }]
    }
}
