package io.stoker.server.trigger

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** {@code --run PROJECT/JOB} and {@code runOnStartup true} start runs when the server starts; then it says it is ready. */
class StartupRunsSpec extends Specification {
    @TempDir
    Path dataDir

    ServerConfig config() {
        ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(2).withIsolatedCompiler(false)
                .withAdminPassword(Http.ADMIN_PASSWORD)
    }

    def "jobs named with --run and jobs that say runOnStartup run when the server starts, once each"() {
        given: 'a project made on a first start'
        def first = StokerServer.start(MigratedDatabase.into(config()))
        assert first.ready().startupRuns() == []
        def created = Http.loggedIn(first.url()).post('/projects', [name: 'svc', jobfile: '''
job('warm') { runOnStartup true; task('t') { sh 'echo warming' } }
job('migrate') { task('t') { sh 'echo migrating' } }
job('idle') { task('t') { sh 'true' } }
'''])
        assert created.status == 201
        first.close()

        when: 'it starts again with --run svc/migrate and --run svc/warm'
        def server = StokerServer.start(MigratedDatabase.into(config().withStartupRuns(['svc/migrate', 'svc/warm'])))
        def http = Http.loggedIn(server.url())

        then: 'it is ready, and said so with the runs it queued'
        http.get('/healthz').json == [status: 'ok', ready: true]
        server.ready().url() == server.url()
        server.ready().startupRuns().size() == 2

        and: 'both ran, triggered by the start'
        def runs = server.ready().startupRuns().collect { key ->
            Http.eventually { def r = http.get("/runs/$key").json; r.status == 'succeeded' ? r : null }
        }
        runs*.job as Set == ['migrate', 'warm'] as Set
        runs*.trigger as Set == ['startup'] as Set
        http.get('/runs?project=svc&job=idle').json.total == 0

        cleanup:
        server?.close()
    }

    def "a --run naming no job stops the start with the reason"() {
        when:
        StokerServer.start(MigratedDatabase.into(config().withStartupRuns(['nope/build'])))

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "--run nope/build: no project 'nope'"
    }

    def "a --run that is not PROJECT/JOB is refused as a setting"() {
        when:
        config().withStartupRuns(['just-a-name'])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "a startup run must be PROJECT/JOB, not 'just-a-name'"
    }
}
