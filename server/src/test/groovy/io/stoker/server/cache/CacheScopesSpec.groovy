package io.stoker.server.cache

import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.git.TestRepo
import org.eclipse.jgit.lib.ObjectId
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files

import static io.stoker.server.forge.HostPayloads.githubHeaders
import static io.stoker.server.forge.HostPayloads.json
import static io.stoker.server.forge.PullRequestBuildsSpec.githubPullRequest

/**
 * Task caches on a real server over HTTP: kept per branch and per pull request, a pull request's run (a fork's whose
 * branch is also called main above all) never writing where the default branch's runs restore from, a branch or
 * pull request without a cache of its own restoring the default branch's, and the project's caches listed and dropped.
 */
@Stepwise
class CacheScopesSpec extends ServerSpecification {
    static final String SECRET = 'cache-hook-secret'
    static final String JOBFILE = '''\
job('build') {
  triggers { push branches: ['main'] }
  task('deps') {
    cache 'deps', key: 'deps', files: ['lock.txt']
    sh 'sh fetch.sh'
  }
}
'''
    /** Downloads only into an empty directory: a run's log tells a restored cache from a miss. */
    static final String FETCH = '''\
if [ -z "$(ls -A deps 2>/dev/null)" ]; then echo downloading; mkdir -p deps; cat lock.txt > deps/lib.jar; fi
echo "using $(cat deps/lib.jar)"
'''
    static final Map FILES = [Jobfile: JOBFILE, 'fetch.sh': FETCH, 'lock.txt': 'v1']

    @Shared TestRepo repo
    @Shared String url

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)))
    }

    def setupSpec() {
        def root = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        repo = TestRepo.create(root.resolve('acme/widget.git'))
        url = repo.url()
        repo.commit('main', 'first', FILES)
        assert http.post('/projects', [name: 'widget', gitUrl: url, branch: 'main']).status == 201
        assert http.put('/projects/widget', [gitUrl: url, branch: 'main', allowForkBuilds: true]).status == 200
    }

    def cleanupSpec() {
        repo?.close()
    }

    /** The ended run a pull request's webhook started, with its log. */
    Map pullRequest(long number, String source, boolean fork) {
        String sha
        if (fork) {
            sha = repo.commit('fork-tmp', "from a fork, #$number", FILES + ['fork.txt': "$number"])
            repo.updateRef("refs/pull/$number/head", ObjectId.fromString(sha))
            repo.deleteBranch('fork-tmp')
        } else {
            sha = repo.commit(source, "a change, #$number", FILES + ['change.txt': "$number"])
        }
        byte[] body = json(githubPullRequest(url, 'opened', number, source, sha, fork))
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'pull_request'))
        assert reply.status == 202, reply.text
        ended(reply.json.runs[0].key as String)
    }

    Map mainRun() {
        ended(trigger('widget', 'build'))
    }

    Map ended(String key) {
        def run = awaitEnd(key)
        assert run.status == 'succeeded', run
        run + [log: http.get("/runs/$key/log").text]
    }

    def "a fork's pull request whose branch is also called main keeps its cache in its own scope"() {
        when:
        def run = pullRequest(9, 'main', true)

        then:
        run.pr.number == 9
        run.log.contains('downloading')
        run.log =~ /cache deps-[0-9a-f]{8} saved: 1 file/
        http.get('/projects/widget/caches').json*.scope == ['pull request 9']
    }

    def "a run of the default branch does not restore it: a pull request cannot poison main's cache"() {
        when:
        def run = mainRun()

        then:
        run.log.contains('no cache for key deps-')
        run.log.contains('downloading')
        run.log =~ /cache deps-[0-9a-f]{8} saved: 1 file/
        http.get('/projects/widget/caches').json*.scope as Set == ['pull request 9', 'branch main'] as Set
    }

    def "the default branch's next run restores its own cache"() {
        when:
        def run = mainRun()

        then:
        run.log =~ /cache deps-[0-9a-f]{8} restored: 1 file/
        !run.log.contains('downloading')
        run.log.contains('using v1')
    }

    def "a pull request without a cache of its own restores the default branch's, and writes nothing"() {
        when:
        def run = pullRequest(10, 'feature', false)

        then:
        run.log =~ /restored: 1 file/
        !run.log.contains('downloading')
        http.get('/projects/widget/caches').json*.scope as Set == ['pull request 9', 'branch main'] as Set
    }

    def "the project's caches are listed with their key, size and last use, and dropped at once"() {
        when:
        def listed = http.get('/projects/widget/caches')

        then:
        listed.status == 200
        listed.json.every { it.key ==~ /deps-[0-9a-f]{8}/ && it.bytes > 0 && it.lastUsed }

        when:
        def dropped = http.delete('/projects/widget/caches')

        then:
        dropped.status == 200
        dropped.json == [dropped: 2]
        http.get('/projects/widget/caches').json == []
        mainRun().log.contains('downloading')
    }

    def "one key's caches are dropped by their key; a key the project has none of is a 404, an empty one a 400"() {
        given: 'the cache the run above saved again'
        String key = http.get('/projects/widget/caches').json*.key.first()

        when:
        def unknown = http.delete('/projects/widget/caches?key=deps-00000000')
        def empty = http.delete('/projects/widget/caches?key=')

        then: 'nothing dropped'
        unknown.status == 404
        unknown.json.message == "project 'widget' has no cache 'deps-00000000'"
        empty.status == 400
        empty.json.details.contains('field: key')
        http.get('/projects/widget/caches').json*.key == [key]

        when:
        def dropped = http.delete("/projects/widget/caches?key=$key")

        then:
        dropped.status == 200
        dropped.json == [dropped: 1]
        http.get('/projects/widget/caches').json == []
    }

    def "the job's graph names the task's cache"() {
        expect:
        http.get('/projects/widget/jobs/build').json.graph.tasks[0].cache == [key: 'deps', paths: ['deps'], files: ['lock.txt']]
    }

    def "an unknown project's caches are a 404"() {
        expect:
        http.get('/projects/nope/caches').status == 404
        http.delete('/projects/nope/caches').status == 404
    }
}
