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
 * A git host that accepts connections and never answers holds a push's fetch until the git timeout (two minutes by
 * default). The pushes of one repository are acted on one at a time, so however many pushes such a host's webhook
 * sends, they take one of the four push workers: another repository's push is fetched and built meanwhile.
 */
class StalledHostPushesSpec extends ServerSpecification {
    static final String SECRET = 'stalled-host-secret'
    static final String JOBFILE = "job('build') {\n  triggers { push branches: ['main'] }\n  task('t') { sh 'true' }\n}\n"

    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared StallingHost front
    @Shared TestRepo stalled
    @Shared TestRepo healthy
    @Shared String stalledHead
    @Shared String healthyHead

    @Override
    StokerServer startServer(ServerConfig config) {
        // the default git timeout: a stalled fetch outlasts the spec unless it ends when the front closes
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)), Clock.systemUTC(), SuiteEnv.with([
                STOKER_WEBHOOK_ANSWER_WITHIN: '300ms', STOKER_GIT_TIMEOUT: '2m']))
    }

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        gitServer = GitHttpServer.serve(gitRoot)
        front = StallingHost.start(gitServer.port())
        stalled = TestRepo.create(gitRoot.resolve('stalled.git'))
        healthy = TestRepo.create(gitRoot.resolve('healthy.git'))
        stalledHead = stalled.commit('main', 'first', [Jobfile: JOBFILE])
        healthyHead = healthy.commit('main', 'first', [Jobfile: JOBFILE])
        // the stalled project is made while its host still answers (a project's creation fetches)
        assert http.post('/projects', [name: 'stalled', gitUrl: front.url('stalled.git'), branch: 'main']).status == 201
        assert http.post('/projects', [name: 'healthy', gitUrl: gitServer.url('healthy.git'), branch: 'main']).status == 201
    }

    def cleanupSpec() {
        front?.close() // the fetches still waiting on it end now
        gitServer?.close()
        stalled?.close()
        healthy?.close()
    }

    def "six pushes to a repository whose host hangs take one worker: another repository's push builds meanwhile"() {
        given: 'the stalled repository\'s host stops answering'
        front.stall()
        String url = front.url('stalled.git')

        when: 'its webhook sends more pushes than there are push workers'
        List<Integer> answers = []
        for (int n = 1; n <= 6; n++) {
            String before = stalledHead
            stalledHead = stalled.commit('main', "change $n", [("f${n}.txt".toString()): "$n\n".toString()])
            byte[] body = json(githubPush(url, 'refs/heads/main', before, stalledHead, []))
            answers << http.postRaw('/hooks/github', body, githubHeaders(body, SECRET)).status
        }

        then: 'each is answered in time as still at work'
        answers == [202] * 6

        when: 'the healthy repository is pushed to'
        String before = healthyHead
        String pushed = healthy.commit('main', 'second', ['src/a.txt': 'a\n'])
        byte[] body = json(githubPush(gitServer.url('healthy.git'), 'refs/heads/main', before, pushed, []))
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))

        then: 'its run starts at the pushed commit and ends, the stalled fetches still waiting'
        reply.status == 202
        Map run = Http.eventually { http.get('/runs?project=healthy').json.runs.find { it.trigger == 'push' } }
        run.commit == pushed
        awaitEnd(run.key as String).status == 'succeeded'
        http.get('/runs?project=stalled').json.runs.findAll { it.trigger == 'push' } == []
    }
}
