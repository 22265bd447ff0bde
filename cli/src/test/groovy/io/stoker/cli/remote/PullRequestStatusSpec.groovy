package io.stoker.cli.remote

import com.fasterxml.jackson.databind.ObjectMapper
import io.stoker.server.forge.WebhookSecret
import org.eclipse.jgit.api.Git
import spock.lang.Shared
import spock.lang.TempDir

import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path

/**
 * {@code stoker status} of a run a pull request started says which request and into which branch, as the API's
 * {@code pr} does: its branch alone (the request's source) does not tell it from a push of that branch.
 */
class PullRequestStatusSpec extends RemoteCliSpecification {
    static final ObjectMapper JSON = new ObjectMapper()

    @Shared @TempDir Path work

    def "a pull request's run shows its number and target branch"() {
        given: 'a git project whose job builds pushes to main, and a branch with a change'
        Path repo = work.resolve('repo')
        Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch('main').call()
        commit(git, repo, 'v1')
        assert stoker('project', 'add', 'shop', '--git', repo.toUri(), '--branch', 'main').exit == 0
        git.checkout().setCreateBranch(true).setName('feature/x').call()
        String head = commit(git, repo, 'v2')

        when: 'GitHub says a pull request of that branch into main was opened'
        def reply = deliver([action      : 'opened', number: 7,
                             pull_request: [number: 7, head: [ref: 'feature/x', sha: head, repo: [full_name: 'acme/shop']],
                                            base  : [ref: 'main', repo: [full_name: 'acme/shop']]],
                             repository  : [full_name: 'acme/shop', clone_url: repo.toUri().toString()]])
        String key = reply.runs[0].key
        def followed = stoker('logs', key, '--follow')
        def shown = stoker('status', key).out.readLines()

        then:
        followed.exit == 0
        shown.contains('  branch:     feature/x')
        shown.contains('  pr:         #7 into main')
    }

    /** A signed GitHub pull_request delivery to the server; its JSON reply. */
    Map deliver(Map payload) {
        byte[] body = JSON.writeValueAsBytes(payload)
        Mac mac = Mac.getInstance('HmacSHA256')
        mac.init(new SecretKeySpec(WebhookSecret.load(dataDir, null).current().getBytes('UTF-8'), 'HmacSHA256'))
        def request = HttpRequest.newBuilder(URI.create(server.url() + '/api/v1/hooks/github'))
                .header('X-GitHub-Event', 'pull_request').header('X-GitHub-Delivery', UUID.randomUUID().toString())
                .header('X-Hub-Signature-256', 'sha256=' + mac.doFinal(body).encodeHex())
                .header('content-type', 'application/json').POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()
        def response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())
        assert response.statusCode() == 202, response.body()
        JSON.readValue(response.body(), Map)
    }

    private static String commit(Git git, Path repo, String version) {
        Files.writeString(repo.resolve('VERSION'), version + '\n')
        Files.writeString(repo.resolve('Jobfile'),
                "job('show') {\n  triggers { push branches: ['main'] }\n  task('cat') { sh 'cat VERSION' }\n}\n")
        git.add().addFilepattern('.').call()
        git.commit().setMessage(version).setAuthor('spec', 'spec@example.org').setCommitter('spec', 'spec@example.org')
                .setSign(false).call().name()
    }
}
