package io.stoker.server.logstream

import io.stoker.server.Http
import io.stoker.server.ServerProcess
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * A real server JVM killed while a run whose log is streamed is going: the next start ends the run with a closing
 * line in its task log, and the receiver's log, once complete, is exactly the run's log, that line included.
 */
class LogStreamRestartSpec extends Specification {
    @TempDir Path dir
    ServerProcess server
    LogReceiver receiver = new LogReceiver()

    def cleanup() {
        server?.kill()
        receiver.close()
    }

    def "the line that ends a run a crash interrupted reaches the receiver of its streamed log"() {
        given: 'a run streaming its log, working when the server is killed'
        Path data = dir.resolve('data')
        server = ServerProcess.start(data)
        Http http = Http.loggedIn(server.url)
        Http.eventually(120_000) {
            def r = http.post('/projects', [name: 'streamed', jobfile: "job('long') {\n  task('t') { sh 'echo begin; sleep 300' }\n}\n"])
            r.status == 201 ? r : null
        }
        String key = http.post('/projects/streamed/jobs/long/runs', [webhooks: [logs: [receiver.url()]]]).json.key
        Http.eventually(60_000) { receiver.requests.any { it.text.contains('begin') } } // arriving: a request stays open a while

        when: 'it is killed and started again on the same data'
        server.kill()
        server = ServerProcess.start(data)
        http = Http.loggedIn(server.url)

        then: 'the run ended failed, and the stream completes with its log as the API shows it, closing line and all'
        Http.eventually(60_000) { http.get("/runs/$key").json.status == 'failed' }
        Http.eventually(60_000) { receiver.answered.any { it.headers['x-stoker-log-complete'] == 'true' } }
        String log = http.get("/runs/$key/log").text
        log.contains('server restarted')
        receiver.placed == log
    }
}
