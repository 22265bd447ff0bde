package io.stoker.server.forge

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.git.TestRepo
import spock.lang.Shared

import java.nio.file.Files

import static io.stoker.server.forge.HostPayloads.*

/**
 * {@code cancelSuperseded true}: a push's new run cancels the job's older runs of the same branch (a pull request's,
 * of the same pull request) that are still queued or going, as GitLab cancels redundant pipelines; runs of other
 * branches, runs started by hand and jobs without the setting are left alone.
 */
class SupersededRunsSpec extends ServerSpecification {
    static final String SECRET = 'superseded-hook-secret'

    @Shared TestRepo repo
    @Shared String url
    @Shared String jobfile
    /** Each branch's last commit. */
    @Shared Map<String, String> heads = [:]

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)))
    }

    def setupSpec() {
        def root = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        repo = TestRepo.create(root.resolve('acme/app.git'))
        url = repo.url()
        // each run waits for a file named in its commit's message.txt, outside the workspace: the spec ends it
        String gate = '"' + dataDir.resolve('gates') + '/$(cat message.txt)"'
        jobfile = """\
job('ci') {
  cancelSuperseded true
  triggers { push branches: ['main', 'other'] }
  task('t') { sh 'for i in \$(seq 3000); do [ -f $gate ] && exit 0; sleep 0.05; done; exit 1' }
}
job('all') {
  triggers { push branches: ['main'] }
  task('t') { sh 'for i in \$(seq 3000); do [ -f $gate ] && exit 0; sleep 0.05; done; exit 1' }
}
"""
        Files.createDirectories(dataDir.resolve('gates'))
        release('first')
        heads.main = repo.commit('main', 'first', [Jobfile: jobfile, 'message.txt': 'first'])
        assert http.post('/projects', [name: 'app', gitUrl: url, branch: 'main']).status == 201
    }

    def cleanupSpec() {
        repo?.close()
    }

    /** Commits on {@code branch} with {@code message}, delivers GitHub's push of it, and answers run key by job. */
    Map<String, String> push(String branch, String message) {
        String before = heads[branch] ?: '0' * 40
        String sha = heads[branch] = repo.commit(branch, message, [Jobfile: jobfile, 'message.txt': message])
        byte[] body = json(githubPush(url, "refs/heads/$branch", before, sha, []))
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET))
        assert reply.status == 202, reply.text
        reply.json.runs.collectEntries { [(it.job): it.key] } as Map<String, String>
    }

    void release(String message) {
        Files.writeString(dataDir.resolve('gates').resolve(message), 'go')
    }

    def "a newer push to a branch cancels the older runs of that branch, queued or going; other branches keep theirs"() {
        given: 'a run going on main, and one on another branch'
        def first = push('main', 'one')
        Http.eventually { http.get("/runs/${first.ci}").json.status == 'running' }
        def other = push('other', 'elsewhere')

        when: 'two more pushes to main come before it ends'
        def second = push('main', 'two')
        def third = push('main', 'three')

        then: 'the first and second runs of ci on main are cancelled, each naming the run that superseded it'
        with(awaitEnd(first.ci)) {
            status == 'cancelled'
            cancelledBy ==~ /run #\d+ \(a newer push to main\)/
        }
        def newest = http.get("/runs/${third.ci}").json.number
        with(awaitEnd(second.ci)) {
            status == 'cancelled'
            cancelledBy == "run #$newest (a newer push to main)".toString()
        }

        when:
        release('three')
        release('elsewhere')

        then: 'the newest run of main and the run of the other branch end as they would have'
        awaitEnd(third.ci).status == 'succeeded'
        awaitEnd(other.ci).status == 'succeeded'

        and: 'a job without cancelSuperseded keeps every run'
        http.get("/runs/${first.all}").json.status == 'running'
        http.get("/runs/${second.all}").json.status == 'running'

        cleanup:
        ['one', 'two', 'three', 'elsewhere'].each { release(it) }
        [first, second, third, other]*.values().flatten().each { awaitEnd(it as String) }
    }

    def "a newer commit of a pull request cancels the runs of that pull request only"() {
        given: 'pull requests #5 and #6 from branches of the repository, each with a run going'
        def five = pullRequest(5, 'feature-a', 'pr five')
        def six = pullRequest(6, 'feature-b', 'pr six')
        Http.eventually { http.get("/runs/$five").json.status == 'running' }

        when: 'a new commit of #5'
        def fiveAgain = pullRequest(5, 'feature-a', 'pr five again')

        then:
        with(awaitEnd(five)) {
            status == 'cancelled'
            cancelledBy ==~ /run #\d+ \(a newer commit of pull request #5\)/
        }
        http.get("/runs/$six").json.status in ['queued', 'running']

        cleanup:
        ['pr five', 'pr six', 'pr five again'].each { release(it) }
        [five, six, fiveAgain].each { awaitEnd(it) }
    }

    /** Commits on {@code branch} and delivers GitHub's pull request {@code number} of it; answers ci's run key. */
    String pullRequest(long number, String branch, String message) {
        String sha = heads[branch] = repo.commit(branch, message, [Jobfile: jobfile, 'message.txt': message])
        byte[] body = json(PullRequestBuildsSpec.githubPullRequest(url, 'synchronize', number, branch, sha, false))
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'pull_request'))
        assert reply.status == 202, reply.text
        reply.json.runs.find { it.job == 'ci' }.key
    }

    def "a run started by hand is not superseded by a push"() {
        given: 'a run by hand of a commit on main that no webhook announced'
        heads.main = repo.commit('main', 'by hand', [Jobfile: jobfile, 'message.txt': 'hand'])
        String byHand = trigger('app', 'ci')
        Http.eventually { http.get("/runs/$byHand").json.status == 'running' }

        when:
        def pushed = push('main', 'four')
        release('four')

        then:
        awaitEnd(pushed.ci).status == 'succeeded'
        http.get("/runs/$byHand").json.status == 'running'

        cleanup:
        release('hand')
        release('four')
        awaitEnd(byHand)
        awaitEnd(pushed.all)
    }
}
