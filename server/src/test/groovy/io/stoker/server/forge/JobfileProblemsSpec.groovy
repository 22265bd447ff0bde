package io.stoker.server.forge

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.SuiteEnv
import io.stoker.server.git.TestRepo
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.time.Clock

import static io.stoker.server.forge.HostPayloads.*

/**
 * A push whose Jobfile does not compile starts nothing, and leaves a trace, as GitLab's "yaml invalid" pipeline does:
 * the project shows the ref's problem with its diagnostics' line:col ({@code GET /projects/{name}}), the commit gets a
 * failed commit status naming the first error, and the ref's next push whose Jobfile compiles (or its deletion, or
 * a pull request's close) clears it. Signed GitHub deliveries over real HTTP to a real server, a real repository, and a receiver on 127.0.0.1
 * standing in for GitHub's status API. Features share the server and repository in order.
 */
@Stepwise
class JobfileProblemsSpec extends ServerSpecification {
    static final String SECRET = 'jobfile-problems-secret'
    static final String TOKEN = 'tok-jobfile-problems'
    static final String GOOD = '''\
job('ci') {
  triggers { push branches: ['**'] }
  task('t') { sh 'echo ok' }
}
'''
    /** {@code nonsense} at line 3, column 15; a second error at line 4. */
    static final String BROKEN = '''\
job('ci') {
  triggers { push branches: ['**'] }
  task('t') { nonsense 'x' }
  task('u') { bogus 'y' }
}
'''

    @Shared ApiReceiver api = new ApiReceiver()
    @Shared TestRepo repo
    @Shared String url
    @Shared String head
    @Shared String brokenMain
    @Shared String brokenFeature

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)), Clock.systemUTC(), SuiteEnv.with([
                STOKER_OUTBOX_BACKOFF: '50ms', STOKER_OUTBOX_MAX_BACKOFF: '200ms', STOKER_OUTBOX_TICK: '50ms']))
    }

    def setupSpec() {
        def root = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        repo = TestRepo.create(root.resolve('acme/app.git'))
        url = repo.url()
        head = repo.commit('main', 'first', [Jobfile: GOOD])
        assert http.post('/secrets', [name: 'FORGE_TOKEN', value: TOKEN]).status == 201
        def created = http.post('/projects', [name: 'app', gitUrl: url, branch: 'main', statusHost: 'github',
                                              statusApiUrl: api.url('/gh'), statusRepository: 'acme/app',
                                              statusTokenSecret: 'FORGE_TOKEN'])
        assert created.status == 201, created.text
    }

    def cleanupSpec() {
        api?.close()
        repo?.close()
    }

    Map deliver(String ref, String before, String after, Map extra = [:]) {
        byte[] body = json(githubPush(url, ref, before, after, [], extra))
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))
        assert reply.status in [200, 202], reply.text
        reply.json as Map
    }

    List<Map> problems() {
        http.get('/projects/app').json.jobfileProblems as List<Map>
    }

    def "a project whose pushes compiled has no Jobfile problems"() {
        expect:
        problems() == []
        http.get('/projects').json.find { it.name == 'app' }.jobfileProblems == []
    }

    def "a push whose Jobfile does not compile shows the branch's problem, with each diagnostic's line and column"() {
        given:
        String before = head
        brokenMain = repo.commit('main', 'broken', [Jobfile: BROKEN])

        when:
        def reply = deliver('refs/heads/main', before, brokenMain)

        then: 'the reply says so with the first error, short enough for the host\'s delivery log'
        reply.runs == []
        reply.projects[0].outcome == 'failed'
        reply.projects[0].reason == "the Jobfile is invalid [Jobfile:3:15: unknown word 'nonsense' in task (+1 more)]"
        reply.message == reply.projects[0].reason

        and: 'the project keeps it'
        def shown = problems()
        shown.size() == 1
        String pushed = brokenMain // a Map delegate answers every name: the field is read outside it
        with(shown[0]) {
            ref == 'refs/heads/main'
            commit == pushed
            file == 'Jobfile'
            at != null
            diagnostics[0].line == 3
            diagnostics[0].col == 15
            diagnostics[0].severity == 'error'
            diagnostics[0].message.startsWith("unknown word 'nonsense'")
            diagnostics.any { it.line == 4 && it.message.startsWith("unknown word 'bogus'") }
        }
        http.get('/projects').json.find { it.name == 'app' }.jobfileProblems*.commit == [brokenMain]
    }

    def "the broken commit gets a failed GitHub status naming the first error, linked to the project's page"() {
        when:
        List<ApiReceiver.Got> got = Http.eventually { def g = api.at('/gh/'); g ? g : null }

        then:
        got.size() == 1
        got[0].path == "/gh/repos/acme/app/statuses/$brokenMain"
        got[0].headers['authorization'] == "Bearer $TOKEN"
        with(got[0].json) {
            state == 'failure'
            context == 'stoker/jobfile'
            description.startsWith("Jobfile:3:15: unknown word 'nonsense'")
            description ==~ /.* \(\+\d+ more\)/
            description.length() <= 140
            target_url.endsWith('/#/projects/app')
        }
    }

    def "the same broken commit delivered again under a new id is one problem, and one status"() {
        given: 'the host redelivers (the delivery id is new; the reply was failed, so the body is taken again)'
        byte[] body = json(githubPush(url, 'refs/heads/main', head, brokenMain, []))
        def headers = githubHeaders(body, SECRET)

        String firstFound = problems().find { it.ref == 'refs/heads/main' }.at

        when:
        def reply = http.postRaw('/hooks/github', body, headers)
        // a delivery on another branch after it: its status is queued after any status of the redelivery would be
        brokenFeature = repo.commit('feature', 'broken too', [Jobfile: BROKEN.replace('nonsense', 'garbage')])
        deliver('refs/heads/feature', '0' * 40, brokenFeature, [created: true])
        Http.eventually { api.at("/gh/repos/acme/app/statuses/$brokenFeature") ?: null }

        then:
        reply.status in [200, 409]
        api.at("/gh/repos/acme/app/statuses/$brokenMain").size() == 1
        problems().find { it.ref == 'refs/heads/main' }.at == firstFound
        problems()*.ref.sort() == ['refs/heads/feature', 'refs/heads/main']
    }

    def "a pull request whose head's Jobfile does not compile shows its own problem, and its status has the pull request's context"() {
        given:
        byte[] body = json(PullRequestBuildsSpec.githubPullRequest(url, 'opened', 5, 'feature', brokenFeature, false))

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'pull_request'))

        then:
        reply.status == 200
        reply.json.projects[0].outcome == 'failed'
        def shown = problems().find { it.ref == 'refs/pull/5/head' }
        shown.commit == brokenFeature
        shown.diagnostics[0].message.startsWith("unknown word 'garbage'")
        Http.eventually { api.at("/gh/repos/acme/app/statuses/$brokenFeature").find { it.json.context == 'stoker/pr/jobfile' } }
    }

    def "a later push of the branch whose Jobfile compiles clears its problem, and leaves the other refs' problems"() {
        given:
        head = repo.commit('main', 'fixed', [Jobfile: GOOD + '\n'])

        when:
        def reply = deliver('refs/heads/main', brokenMain, head)

        then:
        reply.runs*.job == ['ci']
        problems()*.ref.sort() == ['refs/heads/feature', 'refs/pull/5/head']
        awaitEnd(reply.runs[0].key as String).status == 'succeeded'
    }

    def "a refresh of the project that compiles its branch's head clears that branch's problem"() {
        given: 'the branch broken by a push, then fixed by a commit no webhook told of'
        String before = head
        String broken = repo.commit('main', 'broken again', [Jobfile: BROKEN])
        deliver('refs/heads/main', before, broken)
        assert problems().find { it.ref == 'refs/heads/main' }?.commit == broken
        head = repo.commit('main', 'fixed again', [Jobfile: GOOD])

        when:
        def refreshed = http.post('/projects/app/refresh')

        then:
        refreshed.status == 200
        refreshed.json.commit == head
        refreshed.json.jobfileProblems*.ref.sort() == ['refs/heads/feature', 'refs/pull/5/head']
    }

    def "deleting the branch clears its problem"() {
        given:
        repo.deleteBranch('feature')

        when:
        def reply = deliver('refs/heads/feature', brokenFeature, '0' * 40, [deleted: true])

        then:
        reply.projects[0].outcome == 'branch-deleted'
        problems()*.ref == ['refs/pull/5/head']
    }

    def "deleting a tag clears its problem, told as Gitea and Forgejo tell it: by a delete event, not a push"() {
        given: 'a tag at the broken commit, pushed from Gitea'
        repo.tag('v9', brokenMain)
        byte[] pushed = json(giteaPush(url, 'refs/tags/v9', '0' * 40, brokenMain, []))
        assert http.postRaw('/hooks/gitea', pushed, giteaHeaders(pushed, SECRET)).json.projects[0].outcome == 'failed'
        assert problems()*.ref.contains('refs/tags/v9')
        byte[] deleted = json([ref: 'v9', ref_type: 'tag', pusher_type: 'user',
                               repository: [id: 140, name: 'app', full_name: 'acme/app', clone_url: url],
                               sender: [id: 1, login: 'gitea']])

        when:
        def reply = http.postRaw('/hooks/gitea', deleted, giteaHeaders(deleted, SECRET, 'delete'))

        then:
        reply.status == 200
        reply.json.projects*.outcome == ['tag-deleted']
        !problems()*.ref.contains('refs/tags/v9')

        and: 'the reply names the event as Gitea does, not as a push'
        reply.json.event == 'delete'
    }

    def "closing the pull request clears its problem"() {
        given:
        byte[] body = json(PullRequestBuildsSpec.githubPullRequest(url, 'closed', 5, 'feature', brokenFeature, false))

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'pull_request'))

        then:
        reply.status == 200
        reply.json.projects[0].outcome == 'pull-request-closed'
        problems() == []
    }
}
