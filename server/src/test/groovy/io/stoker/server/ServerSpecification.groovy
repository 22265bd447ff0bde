package io.stoker.server

import io.stoker.store.postgres.TestPostgres
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * Starts one real server per specification on 127.0.0.1, a free port and a temp data directory, with the admin
 * password {@link Http#ADMIN_PASSWORD}; {@code http} is logged in as that admin. With
 * {@code -Dstoker.test.store=postgresql} the server stores in a PostgreSQL database of its own (dropped after).
 */
abstract class ServerSpecification extends Specification {
    /**
     * How long (scaled) {@link #awaitEnd} waits for a run that pulls, builds or pushes images and starts containers:
     * each of those is a Podman process, seconds apiece on a loaded machine, where the usual 20 s is a plain run's.
     */
    static final long CONTAINER_RUN = 120_000

    @Shared @TempDir Path dataDir
    @Shared StokerServer server
    @Shared Http http
    @Shared TestPostgres postgres

    def setupSpec() {
        def config = ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(slots())
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD)
        if (System.getProperty('stoker.test.store') == 'postgresql') {
            postgres = MigratedPostgres.create()
            config = config.withDb(postgres.dbUrl())
        } else {
            MigratedDatabase.copyInto(dataDir)
        }
        server = startServer(config)
        http = newHttp(server.url())
    }

    /**
     * The client specs talk through, logged in as admin; a spec of an https server overrides it to trust the
     * server's certificate.
     */
    Http newHttp(String url) {
        Http.loggedIn(url)
    }

    /**
     * The client a test that cannot extend this class (a jqwik property) uses for a server it started, made the
     * way every spec's {@code http} is made.
     */
    static Http clientFor(StokerServer server) {
        Http.loggedIn(server.url())
    }

    def cleanupSpec() {
        server?.close()
        postgres?.close()
    }

    /** Starts the shared server; a spec overrides it to change settings or inject a trigger clock. */
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(config)
    }

    int slots() {
        4
    }

    /** Creates a freestyle project and returns its name. */
    String freestyle(String name, String jobfile) {
        def r = http.post('/projects', [name: name, jobfile: jobfile])
        assert r.status == 201, r.text
        name
    }

    /** Triggers a run and returns its key. */
    String trigger(String project, String job, Map body = [:], String query = '') {
        def r = http.post("/projects/$project/jobs/$job/runs$query", body)
        assert r.status == 201, r.text
        r.json.key
    }

    /** A task's stored log, as text. */
    String log(String key, String task) {
        http.get("/runs/$key/tasks/$task/log").text
    }

    /** The run once it ended; {@code millis} (scaled) bounds the wait, longer for runs that end on a timeout or run containers. */
    Map awaitEnd(String key, long millis = 20_000) {
        Http.eventually(millis) {
            def run = http.get("/runs/$key").json
            run.status in ['succeeded', 'failed', 'cancelled', 'timedout'] ? run : null
        }
    }
}
