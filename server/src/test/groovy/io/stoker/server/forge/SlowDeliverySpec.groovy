package io.stoker.server.forge

import io.stoker.server.MigratedDatabase
import io.stoker.server.SuiteEnv
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock

import static io.stoker.server.forge.HostPayloads.*

/**
 * A git host gives up on a delivery after about ten seconds, and a first fetch of a big repository takes longer:
 * the reply waits for the fetching and compiling only so long ({@code STOKER_WEBHOOK_ANSWER_WITHIN}, here 300 ms)
 * and says the work goes on; the runs start when it is done. The git server here holds its answers until told.
 * A push answered in time lists its runs ({@link DeliveriesSpec}, with the default wait).
 */
class SlowDeliverySpec extends ServerSpecification {
    static final String SECRET = 'slow-host-secret'

    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared TestRepo repo
    @Shared String url
    @Shared String head

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)), Clock.systemUTC(), SuiteEnv.with([STOKER_WEBHOOK_ANSWER_WITHIN: '300ms']))
    }

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        gitServer = GitHttpServer.serve(gitRoot)
        repo = TestRepo.create(gitRoot.resolve('slow.git'))
        url = gitServer.url('slow.git')
        head = repo.commit('main', 'first', [Jobfile: "job('build') {\n  triggers { push branches: ['main'] }\n  task('t') { sh 'true' }\n}\n"])
        def created = http.post('/projects', [name: 'slow', gitUrl: url, branch: 'main'])
        assert created.status == 201, created.text
    }

    def cleanupSpec() {
        gitServer?.release()
        gitServer?.close()
        repo?.close()
    }

    def "a push whose fetch outlasts the reply's wait is answered 202 processing, and its run starts once the fetch ends"() {
        given: 'a new commit, and a git host that holds every answer'
        String before = head
        String pushed = repo.commit('main', 'second', ['src/a.txt': 'a\n'])
        byte[] body = json(githubPush(url, 'refs/heads/main', before, pushed, []))
        gitServer.hold()

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))

        then: 'the reply came while the fetch was still held'
        reply.status == 202
        reply.json.runs == []
        with(reply.json.projects[0]) {
            project == 'slow'
            outcome == 'processing'
            commit == pushed
            reason.contains('GET /api/v1/runs?project=slow')
        }
        http.get('/runs?project=slow').json.runs == []

        when: 'the host answers'
        gitServer.release()

        then: 'the push starts its run at the pushed commit'
        Map run = Http.eventually { http.get('/runs?project=slow').json.runs.find { it.trigger == 'push' } }
        run.commit == pushed
        awaitEnd(run.key as String).status == 'succeeded'
    }
}
