package io.stoker.server.cluster

import io.stoker.server.Http
import io.stoker.server.MigratedPostgres
import io.stoker.server.ServerJvm
import io.stoker.server.outbox.HoldingReceiver
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * Two real servers (JVMs of their own) on a PostgreSQL database made for the feature: a delivery that a server was
 * sending when it was killed goes out from the other as soon as the cluster finds the killed one gone (as it then
 * fails its runs as lost), not when the killed server's claim on it runs out.
 */
@Requires({ TestPostgres.available() })
class ClusterDeliveriesSpec extends Specification {
    @TempDir Path dataDir
    TestPostgres pg = MigratedPostgres.create()
    List<ServerJvm> servers = []
    HoldingReceiver receiver = new HoldingReceiver()

    def cleanup() {
        servers.each { it.close() }
        receiver.close()
        pg.close()
    }

    ServerJvm start() {
        // an attempt may take a minute: a claim holds its delivery for three, the time a killed sender's waited out
        ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Xshare:auto'],
                [STOKER_DB: pg.dbUrl().toString(), STOKER_SLOTS: '2', STOKER_COMPILER: 'in-process',
                 STOKER_CLUSTER_LEASE: '3s', STOKER_OUTBOX_TIMEOUT: '60s', STOKER_OUTBOX_TICK: '100ms',
                 STOKER_OUTBOX_BACKOFF: '100ms', STOKER_OUTBOX_MAX_BACKOFF: '500ms'])
    }

    def "a delivery a killed server was sending goes out from another as soon as the cluster finds it gone"() {
        given: 'two servers, and a receiver that holds the first request it gets without answering'
        servers.addAll(ServerJvm.startCluster(2) { start() })
        assert servers[0].http.post('/projects', [name: 'hooks', jobfile: "job('build') { task('t') { sh 'true' } }"]).status == 201

        when: 'one of them is sending a run\'s first status webhook when it is killed'
        def r = servers[0].http.post('/projects/hooks/jobs/build/runs', [webhooks: [status: receiver.url()]])
        assert r.status == 201, r.text
        String key = r.json.key
        Http.eventually { receiver.held.size() == 1 }
        String claimant = Http.eventually { claimedBy(key) }
        ServerJvm sender = servers.find { s -> idOf(s) == claimant }
        assert sender != null
        sender.process.destroyForcibly() // SIGKILL: no goodbye, its claim stays in the database
        assert sender.process.waitFor(30, TimeUnit.SECONDS)

        then: 'the other sends it well before the claim would let it (three minutes): within a lease, a cluster round and an attempt, given a minute and a half on a loaded machine'
        Http.eventually(90_000) { receiver.answered.size() >= 1 }
        receiver.held*.status == ['queued']
        receiver.answered[0].status == 'queued'

        and: 'the rest of the run\'s line follows it, each state once'
        Http.eventually(60_000) { receiver.answered.last().status in ['succeeded', 'failed'] }
        receiver.answered*.status == receiver.answered*.status.unique()
    }

    /** The server holding the claim of the run's first pending delivery, once one does. */
    private String claimedBy(String key) {
        pg.connection().withCloseable { c ->
            c.prepareStatement("SELECT claimed_by FROM deliveries WHERE run_key = ? AND state = 'pending' ORDER BY id")
                    .withCloseable { s ->
                        s.setString(1, key)
                        def rs = s.executeQuery()
                        rs.next() ? rs.getString(1) : null
                    }
        }
    }

    /** A server's id as {@code /cluster} lists it (by its address). */
    private String idOf(ServerJvm server) {
        servers.find { it.process.alive }.http.get('/cluster').json.servers.find { it.address == server.url() }?.id
    }
}
