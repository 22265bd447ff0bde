package io.stoker.server.forge

import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.git.TestRepo
import org.eclipse.jgit.lib.ObjectId
import spock.lang.Shared

import java.nio.file.Files

import static io.stoker.server.forge.HostPayloads.*

/**
 * A pull request builds the jobs whose path filters the request's own changes pass: the files changed from where
 * it forks off its target branch to its head, as the host's "Files changed" shows them, whatever later commits the
 * target branch got.
 */
class PullRequestPathsSpec extends ServerSpecification {
    static final String SECRET = 'pr-paths-secret'
    static final String JOBFILE = '''\
job('api') {
  triggers { push branches: ['main'], paths: ['api/**'] }
  task('t') { sh 'true' }
}
job('docs') {
  triggers { push branches: ['main'], paths: ['docs/**'] }
  task('t') { sh 'true' }
}
'''

    @Shared TestRepo repo
    @Shared String url
    @Shared String base

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(config.withWebhookSecret(SECRET))
    }

    def setupSpec() {
        def root = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        repo = TestRepo.create(root.resolve('acme/paths.git'))
        url = repo.url()
        base = repo.commit('main', 'first', [Jobfile: JOBFILE, 'api/a.txt': '1', 'docs/a.md': '1'])
        assert http.post('/projects', [name: 'paths', gitUrl: url, branch: 'main']).status == 201
    }

    def cleanupSpec() {
        repo?.close()
    }

    def "a pull request that changes only docs builds only the docs job, though main moved on in the api since"() {
        given: 'a branch off main that changes docs, and main changing the api after it forked'
        repo.updateRef('refs/heads/doc-fix', ObjectId.fromString(base))
        String head = repo.commit('doc-fix', 'fix the docs', ['docs/a.md': '2'])
        repo.commit('main', 'change the api', ['api/a.txt': '2'])
        byte[] body = json(PullRequestBuildsSpec.githubPullRequest(url, 'opened', 21, 'doc-fix', head, false))

        when:
        def reply = http.postRaw('/hooks/github', body, githubHeaders(body, SECRET, 'pull_request'))

        then: 'only the job whose paths its own change passes'
        reply.status == 202
        reply.json.runs*.job == ['docs']
        reply.json.projects[0].reason == '1 job(s) held back by their path filter'
        reply.json.projects[0].changedFiles == ['docs/a.md']
    }
}
