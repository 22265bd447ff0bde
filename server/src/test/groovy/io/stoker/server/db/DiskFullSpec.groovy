package io.stoker.server.db

import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.server.SuiteEnv
import org.slf4j.LoggerFactory
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock

/**
 * A server whose data directory is a small tmpfs filled to the last byte: H2 closes its database on the first write
 * that fails, and the server must say so (503 in words, {@code /healthz} degraded) and work again, with what it had
 * committed, once the space is back. Needs root (or CAP_SYS_ADMIN) to mount the tmpfs; skipped elsewhere.
 */
@Requires(value = { Tmpfs.mountable() }, reason = 'mounting a tmpfs needs root (or CAP_SYS_ADMIN)')
class DiskFullSpec extends Specification {
    static final String JOBFILE = "job('ok') {\n  task('t') { sh 'echo hi' }\n}\n"

    @Shared Tmpfs disk
    @Shared StokerServer server
    @Shared Http http
    ListAppender<ILoggingEvent> logged = new ListAppender<>()

    def setupSpec() {
        disk = Tmpfs.mount('24m')
        Path data = disk.dir.resolve('data')
        MigratedDatabase.copyInto(data)
        server = StokerServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD), Clock.systemDefaultZone(),
                SuiteEnv.with([STOKER_OUTBOX_TICK: '100ms']))
        http = Http.loggedIn(server.url())
    }

    def cleanupSpec() {
        server?.close()
        disk?.close()
    }

    def setup() {
        logged.start()
        ((Logger) LoggerFactory.getLogger('io.stoker')).addAppender(logged)
    }

    def cleanup() {
        ((Logger) LoggerFactory.getLogger('io.stoker')).detachAppender(logged)
        disk.free()
    }

    def "a full disk is a 503 in words and a degraded /healthz, and the server works again once there is room"() {
        given: 'a run committed before the disk fills'
        assert http.post('/projects', [name: 'full', jobfile: JOBFILE]).status == 201
        String before = http.post('/projects/full/jobs/ok/runs', [:]).json.key
        def ended = awaitEnd(before)
        assert ended.status == 'succeeded'

        when: 'the disk fills up and runs are triggered until the store refuses one'
        disk.fill()
        def refused = Http.eventually {
            def r = http.post('/projects/full/jobs/ok/runs', [:])
            r.status == 201 ? null : r
        }

        then: 'the refusal is a 503 that says why in words, without Java type names'
        refused.status == 503
        refused.json.message.contains('no space left on device')
        !(refused.text =~ /[a-z]+\.[a-z]+\.[A-Z]\w*(Exception|Error)/)

        and: '/healthz says the store cannot be written'
        def health = Http.eventually {
            def h = http.get('/healthz')
            h.status == 503 ? h : null
        }
        health.json.status == 'degraded'
        health.json.store.contains('no space left on device')

        and: 'reads answer: the database was opened again, and the metrics read it'
        Http.eventually { http.get("/runs/$before").status == 200 }
        http.get('/metrics').text.find(/(?m)^stoker_queue_length .*$/) ==~ /stoker_queue_length \d+(\.\d+)?/

        and: 'the outbox, polling every 100 ms, did not repeat its warning'
        logged.list.count { it.loggerName.endsWith('OutboxSender') && it.level.toString() == 'WARN' } <= 1

        when: 'the space is back'
        disk.free()

        then: '/healthz is ok again without a restart'
        Http.eventually { http.get('/healthz').json == [status: 'ok', ready: true] }

        and: 'a new run is accepted and runs to its end'
        def after = http.post('/projects/full/jobs/ok/runs', [:])
        after.status == 201
        awaitEnd(after.json.key as String).status == 'succeeded'

        and: 'what was committed before the disk filled is intact'
        with(http.get("/runs/$before").json) {
            status == 'succeeded'
            number == ended.number
        }
    }

    Map awaitEnd(String key) {
        Http.eventually {
            def run = http.get("/runs/$key").json
            run.status in ['succeeded', 'failed', 'cancelled', 'timedout'] ? run : null
        }
    }
}
