package io.stoker.server.cluster

import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.server.logstream.LogReceiver
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock

/**
 * Two servers of a cluster (in this JVM) on one PostgreSQL database and data directory, one slot each: a run whose
 * log is streamed, triggered through one server and run by the other, still reaches its receiver whole. The server
 * running it writes the combined log in the shared data directory; the server that took the request sends it.
 */
@Requires({ TestPostgres.available() })
class ClusterLogStreamSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared @TempDir Path gates
    @Shared TestPostgres pg
    @Shared List<StokerServer> servers = []
    @Shared LogReceiver receiver = new LogReceiver()

    def setupSpec() {
        pg = TestPostgres.create()
        def config = ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(1)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD).withDb(pg.dbUrl())
        Map env = System.getenv() + [STOKER_CLUSTER_LEASE: '3s', STOKER_OUTBOX_BACKOFF: '50ms', STOKER_OUTBOX_TIMEOUT: '5s']
        2.times { servers << StokerServer.start(config, Clock.systemDefaultZone(), Clock.systemUTC(), env) }
    }

    def cleanupSpec() {
        Files.writeString(gates.resolve('open'), '') // a holding run still waiting ends
        servers.reverse().each { it.close() }
        receiver.close()
        pg?.close()
    }

    def "a streamed run triggered through one server and run by the other reaches its receiver whole"() {
        given: 'a run holding the only slot of one server'
        def any = Http.loggedIn(servers[0].url())
        def made = any.post('/projects', [name: 'streamed', jobfile: """
            job('hold') { task('wait') { sh 'for i in \$(seq 600); do [ -f ${gates.resolve('open')} ] && exit 0; sleep 0.1; done; exit 1' } }
            job('build') { task('lines') { sh 'for i in \$(seq 1 50); do echo line \$i; done' } }
        """.toString()])
        assert made.status == 201, made.text
        String hold = any.post('/projects/streamed/jobs/hold/runs', [:]).json.key
        StokerServer holder = Http.eventually(30_000) {
            def held = any.get('/cluster').json.servers.find { it.runsHeld > 0 }
            held == null ? null : servers.find { it.url() == held.address }
        }
        def http = Http.loggedIn(holder.url())

        when: 'the streamed run is triggered through that server, so the other one runs it'
        def r = http.post('/projects/streamed/jobs/build/runs', [webhooks: [logs: [receiver.url()]]])
        assert r.status == 201, r.text
        String key = r.json.key
        def ended = Http.eventually(60_000) {
            def run = http.get("/runs/$key").json
            run.status in ['succeeded', 'failed', 'cancelled'] ? run : null
        }

        then: 'the other server ran it; the receiver has its whole log, in a complete request'
        ended.status == 'succeeded'
        http.get("/runs/$hold").json.status == 'running'
        Http.eventually(60_000) { http.get("/runs/$key/deliveries").json.logStreams[0]?.state == 'delivered' }
        String log = http.get("/runs/$key/log").text
        log.readLines().count { it.startsWith('[lines] ') && it.contains(' out line ') } == 50
        receiver.acknowledged == log
        receiver.answered[-1].headers['x-stoker-log-complete'] == 'true'

        cleanup:
        Files.writeString(gates.resolve('open'), '')
    }
}
