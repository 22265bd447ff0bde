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
 * A new head of a git project's own branch, learnt from a push webhook or a poll, brings the stored project (its
 * commit, its job list, its cron and poll schedules) up to that head, as a refresh would; other branches and a
 * Jobfile that does not compile leave it as it is. A commit a push built is not built again by the job's poll, and
 * the poll applies the push trigger's paths. Real repositories served over HTTP, a trigger clock moved by hand.
 */
class GitHeadSpec extends ServerSpecification {
    static final String SECRET = 'git-head-secret'

    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared MutableClock clock
    @Shared List<TestRepo> repos = []

    @Override
    StokerServer startServer(ServerConfig config) {
        clock = new MutableClock(Instant.parse('2026-01-05T02:58:00.001Z'))
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)), clock)
    }

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        gitServer = GitHttpServer.serve(gitRoot)
    }

    def cleanupSpec() {
        gitServer?.close()
        repos*.close()
    }

    def "a push to the project's branch that adds a job and removes another updates the project's jobs"() {
        given:
        def repo = project('r1', """
job('build') {
  triggers { push branches: ['main'] }
  task('t') { sh 'true' }
}
job('old') {
  task('t') { sh 'true' }
}
""")
        String pushed = repo.commit('main', 'slow instead of old', [Jobfile: """
job('build') {
  triggers { push branches: ['main'] }
  task('t') { sh 'true' }
}
job('slow') {
  task('t') { sh 'true' }
}
"""])

        when:
        def reply = push('r1', 'main', pushed)

        then:
        reply.status == 202
        reply.json.runs*.job == ['build']
        with(http.get('/projects/r1').json) {
            commit == pushed
            jobs == ['build', 'slow']
        }
        http.get('/projects/r1/jobs/slow').status == 200
        http.get('/projects/r1/jobs/old').status == 404
    }

    def "a push to another branch, or of a Jobfile that does not compile, leaves the project's jobs as they are"() {
        given:
        def repo = project('r2', """
job('build') {
  triggers { push branches: ['**'] }
  task('t') { sh 'true' }
}
""")
        String created = http.get('/projects/r2').json.commit
        String elsewhere = repo.commit('feature', 'another job there', [Jobfile: """
job('build') {
  triggers { push branches: ['**'] }
  task('t') { sh 'true' }
}
job('feature-only') {
  task('t') { sh 'true' }
}
"""])
        String broken = repo.commit('main', 'broken', [Jobfile: "job('build') {\n  task('t') { nonsense 'x' }\n}\n"])

        when:
        def other = push('r2', 'feature', elsewhere)
        def invalid = push('r2', 'main', broken)

        then:
        other.status == 202
        invalid.json.projects*.outcome == ['failed']
        with(http.get('/projects/r2').json) {
            commit == created
            jobs == ['build']
        }
    }

    def "a pushed commit whose Jobfile does not compile leaves one WARN line naming project, branch, commit and error"() {
        given:
        def repo = project('r7', """
job('build') {
  triggers { push branches: ['**'] }
  task('t') { sh 'true' }
}
""")
        String onMain = repo.commit('main', 'broken', [Jobfile: "job('build') {\n  task('t') { nonsense 'x' }\n}\n"])
        String onFeature = repo.commit('feature', 'broken too', [Jobfile: "job('build') {\n  task('t') { bogus 'x' }\n}\n"])
        def logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>()
        def loggers = ['io.stoker.server.forge.PushHooks', 'io.stoker.server.project.ProjectService']
                .collect { org.slf4j.LoggerFactory.getLogger(it) as ch.qos.logback.classic.Logger }
        logged.start()
        loggers*.addAppender(logged)

        when:
        push('r7', 'main', onMain)
        push('r7', 'feature', onFeature)

        then:
        def warned = logged.list.findAll { it.level == ch.qos.logback.classic.Level.WARN }*.formattedMessage
        warned.size() == 2
        warned[0].contains('project r7') && warned[0].contains('branch main') && warned[0].contains(onMain)
        warned[0].contains("Jobfile:2:15: unknown word 'nonsense'")
        warned[1].contains('project r7') && warned[1].contains('branch feature') && warned[1].contains(onFeature)
        warned[1].contains("unknown word 'bogus'")

        cleanup:
        loggers*.detachAppender(logged)
    }

    def "a cron removed in a pushed commit no longer fires"() {
        given:
        def repo = project('r3', """
job('tick') {
  triggers { cron '* * * * *' }
  task('t') { sh 'true' }
}
""")

        expect: 'it fires before the push'
        tickAfterAMinute().findAll { it.project() == 'r3' }*.job() == ['tick']

        when:
        String pushed = repo.commit('main', 'no cron', [Jobfile: "job('tick') {\n  task('t') { sh 'true' }\n}\n"])
        push('r3', 'main', pushed)

        then:
        tickAfterAMinute().findAll { it.project() == 'r3' } == []
    }

    def "a commit a push built is not built again by the job's poll"() {
        given:
        def repo = project('r4', """
job('both') {
  triggers { push branches: ['main']; poll '* * * * *' }
  task('t') { sh 'true' }
}
""")
        String pushed = repo.commit('main', 'second', [VERSION: '2\n'])

        when:
        def reply = push('r4', 'main', pushed)

        then:
        reply.json.runs*.job == ['both']

        and: 'the next poll finds nothing new'
        tickAfterAMinute().findAll { it.project() == 'r4' } == []
        runsOf('r4').size() == 1

        when: 'a commit no webhook told of'
        String polled = repo.commit('main', 'third', [VERSION: '3\n'])

        then:
        def started = tickAfterAMinute().findAll { it.project() == 'r4' }
        started*.job() == ['both']
        http.get("/runs/${started[0].key()}").json.commit == polled
    }

    def "a poll applies the paths of the job's push trigger"() {
        given:
        def repo = project('r5', """
job('api') {
  triggers { push branches: ['main'], paths: ['src/**']; poll '* * * * *' }
  task('t') { sh 'true' }
}
""")

        when:
        repo.commit('main', 'docs only', ['docs/readme.md': 'hi\n'])

        then:
        tickAfterAMinute().findAll { it.project() == 'r5' } == []

        when:
        String code = repo.commit('main', 'code', ['src/main.c': 'int main;\n'])

        then:
        def started = tickAfterAMinute().findAll { it.project() == 'r5' }
        started*.job() == ['api']
        http.get("/runs/${started[0].key()}").json.commit == code
    }

    def "a poll that finds the branch's new head takes its jobs in, and builds a poll job renamed there"() {
        given:
        def repo = project('r6', """
job('p') {
  triggers { poll '* * * * *' }
  task('t') { sh 'true' }
}
""")

        when:
        String renamed = repo.commit('main', 'p is q now', [Jobfile: """
job('q') {
  triggers { poll '* * * * *' }
  task('t') { sh 'true' }
}
"""])
        tickAfterAMinute()

        then:
        with(http.get('/projects/r6').json) {
            commit == renamed
            jobs == ['q']
        }

        when: 'the renamed job polls'
        def started = tickAfterAMinute().findAll { it.project() == 'r6' }

        then: 'it builds the commit that brought it'
        started*.job() == ['q']
        http.get("/runs/${started[0].key()}").json.commit == renamed
    }

    def "a poll that finds a Jobfile that does not compile leaves the branch's Jobfile problem, and one that compiles clears it"() {
        given:
        def repo = project('r9', """
job('p') {
  triggers { push branches: ['**']; poll '* * * * *' }
  task('t') { sh 'true' }
}
""")
        tickAfterAMinute() // the poll's first look: the heads it starts from

        when: 'commits no webhook told of, whose Jobfile does not compile, on the branch of the project and another'
        String onMain = repo.commit('main', 'broken', [Jobfile: "job('p') {\n  task('t') { nonsense 'x' }\n}\n"])
        String onFeature = repo.commit('feature', 'broken too', [Jobfile: "job('p') {\n  task('t') { bogus 'x' }\n}\n"])
        def started = tickAfterAMinute().findAll { it.project() == 'r9' }

        then:
        started == []
        def problems = http.get('/projects/r9').json.jobfileProblems
        problems*.ref.sort() == ['refs/heads/feature', 'refs/heads/main']
        with(problems.find { it.ref == 'refs/heads/main' }) {
            commit == onMain
            diagnostics[0].line == 2
            diagnostics[0].col == 15
            diagnostics[0].message.startsWith("unknown word 'nonsense'")
        }
        problems.find { it.ref == 'refs/heads/feature' }.commit == onFeature

        when: 'the branch gets a Jobfile that compiles'
        String fixed = repo.commit('main', 'fixed', [Jobfile: "job('p') {\n  triggers { push branches: ['**']; poll '* * * * *' }\n  task('t') { sh 'echo fixed' }\n}\n"])
        started = tickAfterAMinute().findAll { it.project() == 'r9' }

        then:
        started*.job() == ['p']
        http.get('/projects/r9').json.jobfileProblems*.ref == ['refs/heads/feature']
        http.get("/runs/${started[0].key()}").json.commit == fixed
    }

    def "a build of the branch's head, asked through the API, takes the jobs of that head in"() {
        given:
        def repo = project('r8', "job('build') {\n  task('t') { sh 'true' }\n}\n")
        String newer = repo.commit('main', 'a second job', [Jobfile: "job('build') {\n  task('t') { sh 'true' }\n}\n"
                + "job('lint') {\n  task('t') { sh 'true' }\n}\n"])

        when:
        String key = trigger('r8', 'build')

        then:
        awaitEnd(key).commit == newer
        with(http.get('/projects/r8').json) {
            commit == newer
            jobs == ['build', 'lint']
        }
    }

    // ---- helpers ----

    /** A repository with the Jobfile on main and a git project building main from it. */
    private TestRepo project(String name, String jobfile) {
        def repo = TestRepo.create(gitRoot.resolve("${name}.git"))
        repos << repo
        repo.commit('main', 'first', [Jobfile: jobfile])
        def created = http.post('/projects', [name: name, gitUrl: gitServer.url("${name}.git"), branch: 'main'])
        assert created.status == 201, created.text
        repo
    }

    private List tickAfterAMinute() {
        clock.advance(Duration.ofMinutes(1))
        server.tickTriggers()
    }

    private List<Map> runsOf(String project) {
        http.get("/runs?project=$project").json.runs as List<Map>
    }

    private def push(String project, String branch, String commit) {
        def payload = Http.JSON.readValue(getClass().getResourceAsStream('/webhook/github-push.json'), Map)
        payload.ref = 'refs/heads/' + branch
        payload.after = commit
        payload.repository.clone_url = gitServer.url("${project}.git")
        byte[] body = Http.JSON.writeValueAsBytes(payload)
        http.postRaw('/hooks/github', body, ['X-GitHub-Event'   : 'push', 'X-Hub-Signature-256': 'sha256=' + hmac(body),
                                             'X-GitHub-Delivery': UUID.randomUUID().toString(),
                                             'content-type'     : 'application/json'])
    }

    private static String hmac(byte[] body) {
        Mac mac = Mac.getInstance('HmacSHA256')
        mac.init(new SecretKeySpec(SECRET.getBytes('UTF-8'), 'HmacSHA256'))
        mac.doFinal(body).encodeHex().toString()
    }
}
