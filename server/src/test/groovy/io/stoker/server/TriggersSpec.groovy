package io.stoker.server

import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import io.stoker.server.trigger.MutableClock
import spock.lang.Shared

import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.Instant

/**
 * Push webhooks, cron, poll and upstream triggers end to end: a real server on 127.0.0.1, repositories served over
 * HTTP by git http-backend, the hosts' real payload formats, and a trigger clock the spec moves by hand.
 */
class TriggersSpec extends ServerSpecification {
    static final String SECRET = 'server-wide-secret'

    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared TestRepo app
    @Shared MutableClock clock

    @Override
    StokerServer startServer(ServerConfig config) {
        clock = new MutableClock(Instant.parse('2026-01-05T02:58:00.001Z'))
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)), clock)
    }

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        gitServer = GitHttpServer.serve(gitRoot)
        app = TestRepo.create(gitRoot.resolve('app.git'))
        app.commit('main', 'first', [VERSION: 'v1\n', Jobfile: jobfile()])
        def created = http.post('/projects', [name: 'app', gitUrl: gitServer.url('app.git'), branch: 'main'])
        assert created.status == 201, created.text
        assert created.json.webhookSecretSet == false
    }

    def cleanupSpec() {
        gitServer?.close()
        app?.close()
    }

    static String jobfile(String extra = '') {
        """
job('build') {
  triggers { push branches: ['main', 'release/*'] }
  task('show') { sh 'echo "version \$(cat VERSION)"' }
}
job('docs') {
  triggers { push branches: ['docs/**'] }
  task('t') { sh 'true' }
}
$extra
"""
    }

    def "a signed GitHub push starts a run at the pushed commit whose workspace holds that commit's files"() {
        given:
        String pushed = app.commit('main', 'second', [VERSION: 'v2\n'])
        byte[] body = github('main', pushed)

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))

        then:
        reply.status == 202
        reply.json.runs*.job == ['build']
        def run = awaitEnd(reply.json.runs[0].key as String)
        run.status == 'succeeded'
        run.trigger == 'push'
        run.commit == pushed
        run.branch == 'main'
        http.get("/runs/${run.key}/tasks/show/log").text.contains('version v2')
    }

    def "a wrong signature is refused with 401 and runs nothing"() {
        given:
        String pushed = app.commit('main', 'unsigned', [VERSION: 'v3\n'])
        byte[] body = github('main', pushed)
        long before = runCount()

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, 'not-the-secret'))

        then:
        reply.status == 401
        reply.json.error
        runCount() == before
    }

    def "a push of a repository no project has is answered 200 naming the repository as normalised"() {
        given:
        byte[] body = github('main', 'a' * 40, 'https://github.com/someone/else.git')

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))

        then:
        reply.status == 200
        reply.json.repository == 'github.com/someone/else'
        reply.json.message.contains('no project has the repository github.com/someone/else')
        reply.json.projects == []
        reply.json.runs == []
    }

    def "a push to a branch outside every filter starts nothing"() {
        given:
        String pushed = app.commit('feature/x', 'feature', [VERSION: 'fx\n', Jobfile: jobfile()])
        byte[] body = github('feature/x', pushed)
        long before = runCount()

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))

        then:
        reply.status == 200
        reply.json.runs == []
        reply.json.projects*.outcome == ['no-matching-branch']
        reply.json.projects[0].reason == "branch 'feature/x' matches no job's push trigger"
        reply.json.projects[0].jobs.find { it.job == 'build' }.push*.branches == [['main', 'release/*']]
        runCount() == before
    }

    def "a push whose commit has no Jobfile starts nothing and says why"() {
        given: 'a branch made from nothing, matching the build filter'
        String pushed = app.commit('release/empty', 'no jobfile', [VERSION: 'e\n'])
        byte[] body = github('release/empty', pushed)
        long before = runCount()

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))

        then:
        reply.status == 200
        reply.json.runs == []
        reply.json.problems.any { it.contains('no Jobfile') }
        reply.json.projects*.outcome == ['failed']
        runCount() == before
    }

    def "a GitHub ping is answered 200 naming the projects and jobs a push would build"() {
        given:
        byte[] body = getClass().getResourceAsStream('/webhook/github-ping.json').bytes
        def headers = githubHeaders(body, SECRET) + ['X-GitHub-Event': 'ping']

        when:
        def reply = http.postRaw('/hooks/github', body, headers)

        then:
        reply.status == 200
        reply.json.event == 'ping'
        reply.json.runs == []
    }

    def "a GitLab push with the right token starts the job whose glob matches; a wrong token is 401"() {
        given:
        String pushed = app.commit('docs/guide/intro', 'docs', [VERSION: 'd1\n', Jobfile: jobfile()]) // a new branch from nothing
        def payload = resource('gitlab-push.json')
        payload.ref = 'refs/heads/docs/guide/intro'
        payload.after = pushed
        payload.checkout_sha = pushed
        payload.project.git_http_url = gitServer.url('app.git')
        payload.repository.git_http_url = gitServer.url('app.git')
        byte[] body = Http.JSON.writeValueAsBytes(payload)
        long before = runCount()

        when:
        def wrong = http.postRaw('/hooks/gitlab', body, ['X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': 'nope',
                                                           'content-type': 'application/json'])

        then:
        wrong.status == 401
        runCount() == before

        when:
        def reply = http.postRaw('/hooks/gitlab', body, ['X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': SECRET,
                                                           'X-Gitlab-Event-UUID': UUID.randomUUID().toString(),
                                                           'content-type': 'application/json'])

        then:
        reply.status == 202
        reply.json.runs*.job == ['docs']
        with(awaitEnd(reply.json.runs[0].key as String)) {
            status == 'succeeded'
            trigger == 'push'
            commit == pushed
            branch == 'docs/guide/intro'
        }
    }

    def "a project's own webhook secret replaces the server's default and is never shown"() {
        given: 'the project gets its own secret'
        def put = http.put('/projects/app', [gitUrl: gitServer.url('app.git'), branch: 'main', webhookSecret: 'app-only'])
        assert put.status == 200, put.text
        String pushed = app.commit('release/1', 'release', [VERSION: 'r1\n', Jobfile: jobfile()])
        byte[] body = gitea('release/1', pushed)

        expect: 'GET says a secret is set, never which'
        put.json.webhookSecretSet == true
        !put.text.contains('app-only')
        !http.get('/projects/app').text.contains('app-only')

        and: 'the default secret no longer verifies for this project'
        http.postRaw('/hooks/gitea', body, giteaHeaders(body, SECRET)).status == 401

        when:
        def reply = http.postRaw('/hooks/gitea', body, giteaHeaders(body, 'app-only'))

        then:
        reply.status == 202
        reply.json.runs*.job == ['build']
        with(awaitEnd(reply.json.runs[0].key as String)) {
            trigger == 'push'
            commit == pushed
            branch == 'release/1'
        }

        when: 'a PUT without a secret keeps it'
        def again = http.put('/projects/app', [gitUrl: gitServer.url('app.git'), branch: 'main'])

        then:
        again.json.webhookSecretSet == true
    }

    def "a cron trigger fires when the injected clock passes its time, once"() {
        given:
        freestyle('nightly', """
job('report') {
  triggers { cron '0 3 * * *' }
  task('t') { sh 'echo nightly' }
}
""")

        when: 'it is not 03:00 yet'
        clock.set(Instant.parse('2026-01-05T02:59:30Z'))
        server.tickTriggers()

        then:
        runsOf('nightly', 'report').isEmpty()

        when:
        clock.set(Instant.parse('2026-01-05T03:00:30Z'))
        server.tickTriggers()
        server.tickTriggers()

        then:
        def runs = Http.eventually { runsOf('nightly', 'report') ?: null }
        runs.size() == 1
        runs[0].trigger == 'cron'
        awaitEnd(runs[0].key as String).status == 'succeeded'
    }

    def "a poll trigger builds a new commit of the default branch"() {
        given:
        def polled = TestRepo.create(gitRoot.resolve('polled.git'))
        polled.commit('main', 'first', [VERSION: 'p1\n', Jobfile: """
job('poller') {
  triggers { poll '*/5 * * * *' }
  task('show') { sh 'echo "polled \$(cat VERSION)"' }
}
"""])
        assert http.post('/projects', [name: 'polled', gitUrl: gitServer.url('polled.git'), branch: 'main']).status == 201

        when: 'nothing changed since the project was created'
        clock.advance(Duration.ofMinutes(5))
        server.tickTriggers()

        then:
        runsOf('polled', 'poller').isEmpty()

        when:
        String newer = polled.commit('main', 'second', [VERSION: 'p2\n'])
        polled.commit('other', 'elsewhere', [VERSION: 'o\n'])
        clock.advance(Duration.ofMinutes(5))
        server.tickTriggers()

        then: 'one run, at the new head of main; the other branch is not the default one'
        def runs = Http.eventually { runsOf('polled', 'poller') ?: null }
        runs.size() == 1
        with(awaitEnd(runs[0].key as String)) {
            trigger == 'poll'
            commit == newer
            branch == 'main'
            status == 'succeeded'
        }
        http.get("/runs/${runs[0].key}/tasks/show/log").text.contains('polled p2')

        cleanup:
        polled?.close()
    }

    def "a downstream job starts after its upstream succeeded, with parameters rendered from its run and outputs, and not after it failed"() {
        given:
        freestyle('chain', '''
job('build') {
  parameters { string 'outcome', defaultValue: 'good' }
  task('t') { sh 'test "${{ params.outcome }}" = good && echo "v=1.$STOKER_RUN_NUMBER" >> "$STOKER_OUTPUT"' }
}
job('deploy') {
  parameters { string 'from', defaultValue: 'none' }
  triggers { after 'build', parameters: [from: 'build ${{ run.number }} was ${{ params.outcome }}, version ${{ outputs.t.v }}'] }
  task('t') { sh 'echo "deploying ${{ params.from }}"' }
}
''')

        when:
        String good = trigger('chain', 'build')

        then:
        awaitEnd(good).status == 'succeeded'
        def deploys = Http.eventually { runsOf('chain', 'deploy') ?: null }
        deploys.size() == 1
        with(awaitEnd(deploys[0].key as String)) {
            trigger == 'upstream'
            parameters.from == 'build 1 was good, version 1.1'
            metadata.upstream.run == good
            status == 'succeeded'
        }

        when:
        String bad = trigger('chain', 'build', [parameters: [outcome: 'bad']])

        then:
        awaitEnd(bad).status == 'failed'
        // the upstream hook runs on the trigger thread right after the run event; one succeeded run later proves
        // that thread got past the failed one
        String third = trigger('chain', 'build')
        awaitEnd(third).status == 'succeeded'
        Http.eventually { runsOf('chain', 'deploy').size() == 2 ?: null }
        runsOf('chain', 'deploy')*.metadata*.upstream*.run.toSet() == [good, third].toSet()
    }

    def "a schedule that cannot fire is refused when the project is created, with file:line:col"() {
        when:
        def r = http.post('/projects', [name: 'badcron', jobfile: "job('j') {\n  triggers { cron 'H 25 * * *' }\n  task('t') { sh 'true' }\n}\n"])

        then:
        r.status == 422
        r.json.details == ["Jobfile:2:14: cron 'H 25 * * *': hour: 25 is out of range 0-23"] // as stoker validate says
        http.get('/projects/badcron').status == 404
    }

    // ---- helpers ----

    private long runCount() {
        http.get('/runs?project=app').json.total as long
    }

    private List<Map> runsOf(String project, String job) {
        http.get("/runs?project=$project&job=$job").json.runs as List<Map>
    }

    private Map resource(String name) {
        Http.JSON.readValue(getClass().getResourceAsStream("/webhook/$name"), Map)
    }

    private byte[] github(String branch, String commit, String url = gitServer.url('app.git')) {
        def payload = resource('github-push.json')
        payload.ref = 'refs/heads/' + branch
        payload.after = commit
        payload.repository.clone_url = url
        Http.JSON.writeValueAsBytes(payload)
    }

    private byte[] gitea(String branch, String commit) {
        def payload = resource('gitea-push.json')
        payload.ref = 'refs/heads/' + branch
        payload.after = commit
        payload.repository.clone_url = gitServer.url('app.git')
        Http.JSON.writeValueAsBytes(payload)
    }

    private static Map<String, String> githubHeaders(byte[] body, String secret) {
        ['X-GitHub-Event': 'push', 'X-Hub-Signature-256': 'sha256=' + hmac(body, secret),
         'X-GitHub-Delivery': UUID.randomUUID().toString(), 'content-type': 'application/json']
    }

    private static Map<String, String> giteaHeaders(byte[] body, String secret) {
        ['X-Gitea-Event': 'push', 'X-Gitea-Signature': hmac(body, secret),
         'X-Gitea-Delivery': UUID.randomUUID().toString(), 'content-type': 'application/json']
    }

    private static String hmac(byte[] body, String secret) {
        Mac mac = Mac.getInstance('HmacSHA256')
        mac.init(new SecretKeySpec(secret.getBytes('UTF-8'), 'HmacSHA256'))
        mac.doFinal(body).encodeHex().toString()
    }
}
