package io.stoker.server.outbox

import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import io.stoker.server.SuiteEnv
import org.slf4j.LoggerFactory
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Clock

/**
 * A server per feature with a shortened outbox backoff, a {@link Receiver} on 127.0.0.1, and what the server logged
 * (to show what it never logs).
 */
abstract class OutboxSpecification extends Specification {
    static final Map<String, String> FAST = SuiteEnv.with([STOKER_OUTBOX_BACKOFF: '50ms', STOKER_OUTBOX_MAX_BACKOFF: '200ms',
                                             STOKER_OUTBOX_TICK: '50ms', STOKER_OUTBOX_TIMEOUT: SuiteEnv.OUTBOX_TIMEOUT])

    static final String JOBFILE = "job('build') { task('t') { sh 'echo built' } }"

    @TempDir Path dir
    StokerServer server
    Receiver receiver = new Receiver()
    ListAppender<ILoggingEvent> logged = new ListAppender<>()

    def setup() {
        logged.start()
        ((Logger) LoggerFactory.getLogger('io.stoker')).addAppender(logged)
    }

    def cleanup() {
        ((Logger) LoggerFactory.getLogger('io.stoker')).detachAppender(logged)
        server?.close()
        receiver.close()
    }

    Http start(Map<String, String> env = FAST) {
        server = StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(dir.resolve('data')).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD)), Clock.systemDefaultZone(), env)
        Http.loggedIn(server.url())
    }

    /** Triggers job {@code build} of {@code project} (created with {@link #JOBFILE} when missing) with {@code body}. */
    String run(Http http, Map body, String project = 'hooks') {
        if (http.get("/projects/$project").status == 404) {
            assert http.post('/projects', [name: project, jobfile: JOBFILE]).status == 201
        }
        def r = http.post("/projects/$project/jobs/build/runs", body)
        assert r.status == 201, r.text
        r.json.key
    }

    Map awaitEnd(Http http, String key) {
        Http.eventually { def r = http.get("/runs/$key").json; r.status in ['succeeded', 'failed'] ? r : null }
    }
}
