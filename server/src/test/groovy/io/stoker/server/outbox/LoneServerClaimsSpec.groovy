package io.stoker.server.outbox

import io.stoker.server.Http
import io.stoker.server.ServerJvm
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A real server alone on its H2 store (a JVM of its own), killed with SIGKILL while it sends a delivery to a receiver
 * on 127.0.0.1 that does not answer: started again on the same data directory, it sends that delivery at once, not
 * when its killed predecessor's claim on it runs out (three attempt timeouts, three minutes here).
 */
class LoneServerClaimsSpec extends Specification {
    @TempDir Path dataDir
    List<ServerJvm> servers = []
    HoldingReceiver receiver = new HoldingReceiver()

    def cleanup() {
        servers.each { it.close() }
        receiver.close()
    }

    ServerJvm start() {
        // an attempt may take a minute: a claim holds its delivery for three; INFO: the restart says what it released
        def server = ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Xshare:auto',
                                               '-Dstoker.test.logLevel=INFO'],
                [STOKER_SLOTS: '2', STOKER_COMPILER: 'in-process', STOKER_OUTBOX_TIMEOUT: '60s',
                 STOKER_OUTBOX_TICK: '100ms', STOKER_OUTBOX_BACKOFF: '100ms', STOKER_OUTBOX_MAX_BACKOFF: '500ms'])
        servers << server
        server
    }

    def "a delivery a killed lone server was sending goes out as soon as it starts again, not when its claim runs out"() {
        given: 'a server alone, and a receiver that holds the first request it gets without answering'
        def first = start()
        assert first.http.post('/projects', [name: 'hooks', jobfile: "job('build') { task('t') { sh 'true' } }"]).status == 201

        when: 'it is sending a run\'s first status webhook when it is killed'
        def r = first.http.post('/projects/hooks/jobs/build/runs', [webhooks: [status: receiver.url()]])
        assert r.status == 201, r.text
        String key = r.json.key
        Http.eventually { receiver.held.size() == 1 }
        long killedAt = System.nanoTime() // the claim was taken before the request came: it runs out before +3 min
        first.process.destroyForcibly() // SIGKILL: its claim stays in the database
        assert first.process.waitFor(30, TimeUnit.SECONDS)

        and: 'it starts again on the same data directory'
        def again = start()

        then: 'the delivery goes out well before the claim would let it: within half of it, on a loaded machine too'
        Http.eventually(90_000) { receiver.answered.size() >= 1 }
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt) < 180
        receiver.held*.status == ['queued']
        receiver.answered[0].status == 'queued'
        again.output.any { it.contains('outbox: 1 delivery that the last process was sending when it stopped is due again now') }

        and: 'the rest of the run\'s line follows it, each state once'
        Http.eventually(60_000) { receiver.answered.last().status in ['succeeded', 'failed'] }
        receiver.answered*.status == receiver.answered*.status.unique()
        again.http.get("/runs/$key/deliveries").json.deliveries[0].attempts >= 1
    }
}
