package io.stoker.server.forge

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.SuiteEnv
import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.StallingHost
import io.stoker.server.git.TestRepo
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock

import static io.stoker.server.forge.HostPayloads.*

/**
 * A push answered {@code processing} (its fetch outlasted the reply) and then cut short by the server stopping was
 * never acted on: the host shows it delivered, and the user's "Redeliver" after the restart must build it, not be
 * refused as a replay of a delivery that built nothing.
 */
class StoppedDeliveriesSpec extends ServerSpecification {
    static final String SECRET = 'stopped-deliveries-secret'
    static final String JOBFILE = "job('build') {\n  triggers { push branches: ['main'] }\n  task('t') { sh 'true' }\n}\n"

    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared StallingHost front
    @Shared TestRepo repo
    @Shared ServerConfig serverConfig

    @Override
    StokerServer startServer(ServerConfig config) {
        serverConfig = config.withWebhookSecret(SECRET)
        start()
    }

    /** The shared server's settings: a reply that waits 300 ms for the fetch, the default git timeout. */
    StokerServer start() {
        StokerServer.start(MigratedDatabase.into(serverConfig), Clock.systemUTC(), SuiteEnv.with([STOKER_WEBHOOK_ANSWER_WITHIN: '300ms',
                                                                     STOKER_GIT_TIMEOUT: '2m']))
    }

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        gitServer = GitHttpServer.serve(gitRoot)
        front = StallingHost.start(gitServer.port())
        repo = TestRepo.create(gitRoot.resolve('app.git'))
        repo.commit('main', 'first', [Jobfile: JOBFILE])
        assert http.post('/projects', [name: 'app', gitUrl: front.url('app.git'), branch: 'main']).status == 201
    }

    def cleanupSpec() {
        front?.close() // the old server's fetch still waiting on it ends now
        gitServer?.close()
        repo?.close()
    }

    def "a push the server stopped in the middle of is taken again when the host redelivers it after the restart"() {
        given: 'the git host stops answering, and a push comes'
        front.stall()
        String before = repo.commit('main', 'second', ['a.txt': 'a\n'])
        String after = repo.commit('main', 'third', ['b.txt': 'b\n'])
        byte[] body = json(githubPush(front.url('app.git'), 'refs/heads/main', before, after, []))
        Map<String, String> headers = githubHeaders(body, SECRET)

        when: 'it is answered while its fetch still waits'
        def first = http.postRaw('/hooks/github', body, headers)

        then:
        first.status == 202
        first.json.projects*.outcome == ['processing']

        when: 'the server stops before the fetch ends, and starts again on the same data; the host answers again'
        server.close()
        // a stopped process's connections close with it: here the old server's fetch is still waiting on its own
        front.stall()
        front.resume()
        server = start()
        http = newHttp(server.url())

        and: 'the host redelivers the delivery, as its "Redeliver" button sends it: the same id and body'
        def again = http.postRaw('/hooks/github', body, headers)

        then: 'it is taken, and builds the pushed commit'
        again.status == 202
        def outcome = again.json.projects.find { it.project == 'app' }
        outcome.outcome in ['started', 'processing']
        def run = Http.eventually(60_000) {
            def runs = http.get('/runs?project=app').json.runs
            runs.find { it.commit == after }
        }
        run.trigger == 'push'

        when: 'it is delivered once more'
        def third = http.postRaw('/hooks/github', body, headers)

        then: 'that one is a replay: the push was acted on this time'
        third.status == 409
        third.json.error == 'replayed'
    }
}
