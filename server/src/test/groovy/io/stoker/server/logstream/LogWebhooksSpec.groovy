package io.stoker.server.logstream

import io.stoker.server.MigratedDatabase
import io.stoker.server.SuiteEnv
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Clock

/**
 * {@code "webhooks": {"logs": …}} in a trigger request, through a real server: the receiver gets the run's combined
 * log — for tasks that run one after another, exactly what {@code GET /runs/{key}/log} gives — and the deliveries
 * list shows where the stream stands.
 */
class LogWebhooksSpec extends Specification {
    static final String JOBFILE = '''
job('build') {
  task('compile') { sh 'for i in $(seq 1 50); do echo "compile $i"; done' }
  task('test') { needs 'compile'; sh 'for i in $(seq 1 50); do echo "test $i"; done' }
}'''

    @TempDir Path dir
    StokerServer server
    LogReceiver receiver = new LogReceiver()

    def cleanup() {
        server?.close()
        receiver.close()
    }

    def "a trigger's log webhook gets the run's log streamed, ending with a complete request"() {
        given:
        server = StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(dir.resolve('data')).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD)), Clock.systemDefaultZone(),
                SuiteEnv.with([STOKER_OUTBOX_BACKOFF: '50ms', STOKER_OUTBOX_TIMEOUT: '5s']))
        def http = Http.loggedIn(server.url())
        assert http.post('/projects', [name: 'streamed', jobfile: JOBFILE]).status == 201

        when:
        def r = http.post('/projects/streamed/jobs/build/runs', [webhooks: [logs: [receiver.url()]]])
        assert r.status == 201, r.text
        String key = r.json.key
        Http.eventually { http.get("/runs/$key").json.status in ['succeeded', 'failed'] }

        then: 'the stream is delivered and its receiver has the run log'
        Http.eventually { http.get("/runs/$key/deliveries").json.logStreams[0]?.state == 'delivered' }
        String log = http.get("/runs/$key/log").text
        receiver.acknowledged == log
        log.readLines().count { it.startsWith('[test] ') && it.endsWith(' out test 50') } == 1
        receiver.answered.every { it.headers['x-stoker-run'] == key }
        receiver.answered[-1].headers['x-stoker-log-complete'] == 'true'

        and: 'the deliveries list shows the target and the acknowledged offset'
        def stream = http.get("/runs/$key/deliveries").json.logStreams[0]
        stream.target == receiver.url()
        stream.acknowledged == log.bytes.length
    }
}
