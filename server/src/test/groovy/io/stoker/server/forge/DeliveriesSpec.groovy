package io.stoker.server.forge

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.SuiteEnv
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock

import static io.stoker.server.forge.HostPayloads.*

/**
 * Deliveries shaped and sized as GitHub, GitLab, Gitea and Bitbucket (Cloud and Data Center) send them, over real
 * HTTP on 127.0.0.1, to a monorepo whose jobs filter by path: every reply is a 2xx or a 4xx with a reason and
 * names, per project, the runs started or why none did. Features share the server and repository in order.
 */
@Stepwise
class DeliveriesSpec extends ServerSpecification {
    static final String SECRET = 'server-wide-secret'
    static final String JOBFILE = """\
job('api') {
  triggers { push branches: ['main'], paths: ['services/api/**'], pathsIgnore: ['**/*.md'] }
  task('t') { sh 'true' }
}
job('web') {
  triggers { push branches: ['main'], paths: ['services/web/**'] }
  task('t') { sh 'true' }
}
job('nightly') {
  task('t') { sh 'true' }
}
"""

    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared TestRepo mono
    @Shared String url
    @Shared String head

    /**
     * Every reply here is read for its outcome, so the server waits for a push's work up to a minute before it
     * answers 202 (the default 8 s, which {@link SlowDeliverySpec} holds to, ran out for the 20 MB push at load 19).
     */
    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)), Clock.systemUTC(), SuiteEnv.with([STOKER_WEBHOOK_ANSWER_WITHIN: '60s']))
    }

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        gitServer = GitHttpServer.serve(gitRoot)
        mono = TestRepo.create(gitRoot.resolve('mono.git'))
        url = gitServer.url('mono.git')
        head = mono.commit('main', 'first', [Jobfile: JOBFILE, 'services/api/main.go': 'package main\n',
                                             'services/web/app.js': '1\n', 'README.md': 'mono\n'])
    }

    def cleanupSpec() {
        gitServer?.close()
        mono?.close()
    }

    def "GitHub's ping, sent before the project exists, is a 200 naming the repository nobody builds yet"() {
        given:
        byte[] body = json([zen: 'Keep it logically awesome.', hook_id: 292430182,
                            hook: [type: 'Repository', id: 292430182, name: 'web', active: true, events: ['push'],
                                   config: [content_type: 'form', insecure_ssl: '0', url: 'https://stoker.example/api/v1/hooks/github']],
                            repository: githubPush(url, 'refs/heads/main', head, head, []).repository])

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'ping'))

        then:
        reply.status == 200
        reply.json.event == 'ping'
        reply.json.repository == '127.0.0.1/mono'
        reply.json.message.startsWith('no project has the repository 127.0.0.1/mono (URLs compared as normalised)')
        reply.json.projects == []

        when: 'the project exists: the same ping names it and the jobs a push would build, with their filters'
        def created = http.post('/projects', [name: 'mono', gitUrl: url, branch: 'main'])
        assert created.status == 201, created.text
        def again = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'ping'))

        then:
        again.status == 200
        again.json.projects*.project == ['mono']
        again.json.projects[0].outcome == 'would-build'
        again.json.projects[0].jobs*.job == ['api', 'web']
        again.json.projects[0].jobs[0].push == [[branches: ['main'], paths: ['services/api/**'], pathsIgnore: ['**/*.md']]]
    }

    def "a 20-commit GitHub push of about 60 KB, form-encoded as GitHub sends by default, starts the job whose files changed"() {
        given: '20 real commits, the API service changed by the last'
        String before = head
        List<Map> commits = (1..20).collect { i ->
            String path = i == 20 ? 'services/api/handler.go' : "services/api/docs/page${i}.md"
            String id = mono.commit('main', "change $i", [(path): "v$i\n"])
            commit(id, "Change $i of the API\n\n" + ('A longer body explaining the change, as people write them. ' * 40), [], [path])
        }
        head = commits.last().id
        byte[] body = form(githubPush(url, 'refs/heads/main', before, head, commits))

        expect:
        body.length > 55_000 && body.length < 120_000

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'push', 'application/x-www-form-urlencoded'))

        then:
        String pushed = head // a local: inside with() a map answers null for any name it lacks
        reply.status == 202
        reply.json.runs*.job == ['api']
        reply.json.runs[0].url == "/api/v1/runs/${reply.json.runs[0].key}"
        with(reply.json.projects[0]) {
            project == 'mono'
            outcome == 'started'
            commit == pushed
            jobs*.job == ['web']
            reason == '1 job held back by its path filter'
        }
        awaitEnd(reply.json.runs[0].key as String).status == 'succeeded'
    }

    def "the same push as JSON is about as large and is taken too"() {
        given:
        String before = head
        List<Map> commits = (1..20).collect { i ->
            String id = mono.commit('main', "web $i", ["services/web/page${i}.js": "$i\n"])
            commit(id, "Web change $i\n\n" + ('Explaining the change in a few sentences. ' * 56), ["services/web/page${i}.js"])
        }
        head = commits.last().id
        byte[] body = json(githubPush(url, 'refs/heads/main', before, head, commits))

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))

        then:
        body.length > 55_000 && body.length < 100_000
        reply.status == 202
        reply.json.runs*.job == ['web']
        reply.json.projects[0].jobs*.job == ['api']
    }

    def "a push that changes only ignored files starts nothing and says the path filter held it, listing the files"() {
        given:
        String before = head
        head = mono.commit('main', 'docs', ['services/api/README.md': 'how to\n'])
        byte[] body = json(githubPush(url, 'refs/heads/main', before, head, [commit(head, 'docs', [], ['services/api/README.md'])]))

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))

        then:
        reply.status == 200
        reply.json.runs == []
        with(reply.json.projects[0]) {
            outcome == 'path-filter'
            jobs*.job == ['api', 'web']
            changedFiles == ['services/api/README.md']
        }
    }

    def "a force push whose payload lists no files is decided from the mirror's before..after"() {
        given: 'the payload of a force push: forced, and no commits listed'
        String before = head
        head = mono.commit('main', 'rewrite web', ['services/web/app.js': '2\n'])
        byte[] body = json(githubPush(url, 'refs/heads/main', before, head, [], [forced: true, head_commit: [id: head, message: 'rewrite web']]))

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))

        then:
        reply.status == 202
        reply.json.runs*.job == ['web']
        reply.json.projects[0].changedFiles == ['services/web/app.js']
    }

    def "[skip ci] in any case in the head commit's message starts nothing; a run through the API is never skipped"() {
        given:
        String before = head
        head = mono.commit('main', 'api: tidy [Skip CI]', ['services/api/main.go': 'package main // tidy\n'])
        byte[] body = json(githubPush(url, 'refs/heads/main', before, head,
                [commit(head, 'api: tidy [Skip CI]', [], ['services/api/main.go'])]))

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))

        then:
        reply.status == 200
        reply.json.projects[0].outcome == 'skip-marker'
        reply.json.projects[0].reason == 'the head commit\'s message holds [skip ci]'

        expect:
        http.post('/projects/mono/jobs/api/runs', [:]).status == 201
    }

    def "a tag push, a branch deletion and a branch no job builds each say so"() {
        given:
        mono.tag('v1', head)
        byte[] tag = json(githubPush(url, 'refs/tags/v1', '0' * 40, head, []))
        byte[] deleted = json(githubPush(url, 'refs/heads/old', head, '0' * 40, [], [deleted: true]))
        String feature = mono.commit('feature/x', 'feature', [Jobfile: JOBFILE, 'services/api/x.go': 'x\n']) // a branch from nothing
        byte[] other = json(githubPush(url, 'refs/heads/feature/x', '0' * 40, feature, [commit(feature, 'feature', ['services/api/x.go'])]))

        when:
        def replies = [tag, deleted, other].collect { http.postRaw('/hooks/github', it, githubHeaders(it, SECRET)) }

        then:
        replies*.status == [200, 200, 200]
        replies.collect { it.json.projects[0].outcome } == ['tag-push', 'branch-deleted', 'no-matching-branch']
        replies[1].json.event == 'push' // GitHub tells a deletion by a push event, and its delivery log names it so
        replies[2].json.projects[0].jobs*.job == ['api', 'web', 'nightly']
        replies[2].json.projects[0].jobs.find { it.job == 'nightly' }.push == []
    }

    def "a GitLab push with X-Gitlab-Token starts the job its files touch"() {
        given:
        String before = head
        head = mono.commit('main', 'api fix', ['services/api/fix.go': 'fix\n'])
        byte[] body = json(gitlabPush(url, 'refs/heads/main', before, head, [commit(head, 'api fix', ['services/api/fix.go'])]))

        when:
        def reply = http.postRaw('/hooks/gitlab', body, gitlabHeaders(SECRET))

        then:
        reply.status == 202
        reply.json.host == 'gitlab'
        reply.json.runs*.job == ['api']
    }

    def "a Gitea push starts its job; Gitea's test delivery (before equals after) names what would build"() {
        given:
        String before = head
        head = mono.commit('main', 'web fix', ['services/web/fix.js': 'fix\n'])
        byte[] push = json(giteaPush(url, 'refs/heads/main', before, head, [commit(head, 'web fix', ['services/web/fix.js'])]))
        byte[] test = json(giteaPush(url, 'refs/heads/main', head, head, [commit(head, 'web fix', ['services/web/fix.js'])]))

        when:
        def pushed = http.postRaw('/hooks/gitea', push, giteaHeaders(push, SECRET))
        def tested = http.postRaw('/hooks/gitea', test, giteaHeaders(test, SECRET))

        then:
        pushed.status == 202
        pushed.json.runs*.job == ['web']
        tested.status == 200
        tested.json.event == 'test delivery'
        tested.json.projects[0].outcome == 'would-build'
        tested.json.runs == []
    }

    def "a #hostName force push is diffed before..after in the mirror, as GitHub's is: the files it took back count"() {
        given: 'a push of an api change, which the mirror fetches'
        String base = head
        String dropped = mono.commit('main', 'api change', [("services/api/${hostName}.go".toString()): 'x\n'])
        def first = send(hostName, base, dropped, [commit(dropped, 'api change', ["services/api/${hostName}.go".toString()])])
        assert first.json.runs*.job == ['api']

        and: 'then history rewritten: the api change dropped, a web change on the old base'
        mono.reset('main', base)
        head = mono.commit('main', 'web only', ['services/web/app.js': "${hostName}\n".toString()])

        when: 'the host lists only the new commit, as GitLab and Gitea do, with no word that it was forced'
        def reply = send(hostName, dropped, head, [commit(head, 'web only', [], ['services/web/app.js'])])

        then: 'the api job runs too: its file changed between the two heads'
        reply.status == 202
        reply.json.runs*.job.sort() == ['api', 'web']

        where:
        hostName << ['gitlab', 'gitea']
    }

    private def send(String hostName, String before, String after, List<Map> commits) {
        if (hostName == 'gitlab') {
            byte[] body = json(gitlabPush(url, 'refs/heads/main', before, after, commits))
            return http.postRaw('/hooks/gitlab', body, gitlabHeaders(SECRET))
        }
        byte[] body = json(giteaPush(url, 'refs/heads/main', before, after, commits))
        http.postRaw('/hooks/gitea', body, giteaHeaders(body, SECRET))
    }

    def "a Bitbucket Cloud push (no file lists) is decided from the mirror; its test ping is a 200"() {
        given:
        String before = head
        head = mono.commit('main', 'api change', ['services/api/cloud.go': 'c\n'])
        byte[] body = json(bitbucketCloudPush(url.replaceAll(/\.git$/, ''), 'team/mono', 'main', before, head, 'api change'))
        byte[] ping = json([test: true])

        when:
        def reply = http.postRaw('/hooks/bitbucket', body, bitbucketCloudHeaders(body, SECRET))
        def pinged = http.postRaw('/hooks/bitbucket', ping, bitbucketCloudHeaders(ping, SECRET, 'diagnostics:ping'))

        then:
        reply.status == 202
        reply.json.host == 'bitbucket'
        reply.json.runs*.job == ['api']
        reply.json.projects[0].changedFiles == ['services/api/cloud.go']
        pinged.status == 200
        pinged.json.event == 'diagnostics:ping'
    }

    def "a Bitbucket Data Center refs_changed names the repository by project key and slug, matched on the project's URL"() {
        given: 'a project whose URL is served under the Data Center project key'
        TestRepo dc = TestRepo.create(gitRoot.resolve('proj/dc.git'))
        String first = dc.commit('main', 'first', [Jobfile: JOBFILE, 'services/web/a.js': '1\n'])
        def created = http.post('/projects', [name: 'dc', gitUrl: gitServer.url('proj/dc.git'), branch: 'main'])
        assert created.status == 201, created.text
        String second = dc.commit('main', 'web', ['services/web/a.js': '2\n'])
        byte[] body = json(bitbucketDcPush('PROJ', 'dc', 'refs/heads/main', first, second))
        byte[] unsigned = json(bitbucketDcPush('PROJ', 'dc', 'refs/heads/main', first, second))

        when:
        def reply = http.postRaw('/hooks/bitbucket', body, bitbucketDcHeaders(body, SECRET))
        def refused = http.postRaw('/hooks/bitbucket', unsigned, bitbucketDcHeaders(unsigned, 'wrong'))
        def missing = http.postRaw('/hooks/bitbucket', unsigned,
                bitbucketDcHeaders(unsigned, 'wrong').findAll { it.key != 'X-Hub-Signature' })

        then:
        reply.status == 202
        reply.json.projects*.project == ['dc']
        reply.json.runs*.job == ['web']
        refused.status == 401
        refused.json.message == "the bitbucket webhook's X-Hub-Signature does not verify with the server's webhook secret or any project's"

        and: 'a missing signature is told as such, naming the header'
        missing.status == 401
        missing.json.message.startsWith('missing X-Hub-Signature header')

        cleanup:
        dc?.close()
    }

    def "a 20 MB delivery, form-encoded, is read whole and answered 2xx; one past the limit is a 413, never a 5xx"() {
        given: 'a push listing 2,000 commits of 200 files each (GitHub lists up to 2,048)'
        String before = head
        head = mono.commit('main', 'generated docs', ['docs/generated/index.md': 'x\n'])
        List<Map> commits = (1..2000).collect { i ->
            commit(i == 2000 ? head : String.format('%040x', i), "generated $i",
                    (1..200).collect { "docs/generated/section-$i/page-${it}.md".toString() })
        }
        byte[] body = form(githubPush(url, 'refs/heads/main', before, head, commits))

        expect:
        body.length > 20_000_000

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'push', 'application/x-www-form-urlencoded'))

        then:
        reply.status == 200
        reply.json.projects[0].outcome == 'path-filter'
        reply.json.projects[0].changedFiles.size() == 20

        when: 'a request announcing more than 64 MB is refused before its body is read'
        String answer = new Socket('127.0.0.1', URI.create(server.url()).port).withCloseable { s ->
            s.soTimeout = 30_000
            s.outputStream.write(("POST /api/v1/hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                    "Content-Type: application/json\r\nContent-Length: ${(64 << 20) + 1}\r\nConnection: close\r\n\r\n").getBytes('US-ASCII'))
            s.outputStream.flush()
            new String(s.inputStream.readAllBytes(), 'UTF-8') // the server closes after its answer
        }

        then:
        answer.startsWith('HTTP/1.1 413')
        answer.contains('a webhook body may be at most 64 MB')
    }
}
