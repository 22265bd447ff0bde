package io.stoker.server.forge

import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

import static io.stoker.server.forge.HostPayloads.*

/**
 * A real server whose webhooks are signed with {@link #SECRET}, and a repository served over git HTTP on 127.0.0.1
 * ({@code PROJ/mono.git}, so Bitbucket Data Center's project key and slug name it too) that the project
 * {@code mono} builds: its job {@code build} runs on every push to main (a spec gives other jobs with
 * {@link #jobfile}). {@link #push} commits to main and gives the delivery a git host sends for it.
 */
abstract class PushedRepoSpecification extends ServerSpecification {
    static final String SECRET = 'server-wide-secret'
    static final String JOBFILE = "job('build') { triggers { push branches: ['main'] }\n task('t') { sh 'true' } }\n"
    /** The hosts {@link #push} speaks for. */
    static final List<String> HOSTS = ['github', 'gitlab', 'gitea', 'bitbucket dc', 'bitbucket cloud']

    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared TestRepo repo
    @Shared String url
    @Shared String head

    /** A push as its host sends it: the endpoint under /hooks, the body its signature covers, and the headers. */
    static record Delivery(String path, byte[] body, Map<String, String> headers) {}

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withWebhookSecret(SECRET)))
    }

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-pushed-git'))
        gitServer = GitHttpServer.serve(gitRoot)
        repo = TestRepo.create(gitRoot.resolve('PROJ/mono.git'))
        url = gitServer.url('PROJ/mono.git')
        head = repo.commit('main', 'first', [Jobfile: jobfile()])
        def created = http.post('/projects', [name: 'mono', gitUrl: url, branch: 'main'])
        assert created.status == 201, created.text
    }

    /** The Jobfile of the repository's first commit. */
    String jobfile() {
        JOBFILE
    }

    def cleanupSpec() {
        gitServer?.close()
        repo?.close()
    }

    /** Commits a change to main (now {@link #head}) and gives {@code host}'s push of it. */
    Delivery push(String host, String message = "change for $host") {
        String from = head
        String to = head = repo.commit('main', message, [(host.replace(' ', '-') + '.txt'): UUID.randomUUID().toString()])
        byte[] body = json(switch (host) {
            case 'github' -> githubPush(url, 'refs/heads/main', from, to, [commit(to, message)])
            case 'gitlab' -> gitlabPush(url, 'refs/heads/main', from, to, [commit(to, message)])
            case 'gitea' -> giteaPush(url, 'refs/heads/main', from, to, [commit(to, message)])
            case 'bitbucket dc' -> bitbucketDcPush('PROJ', 'mono', 'refs/heads/main', from, to)
            case 'bitbucket cloud' -> bitbucketCloudPush(url.replaceAll(/\.git$/, ''), 'PROJ/mono', 'main', from, to, message)
            default -> throw new IllegalArgumentException(host)
        })
        new Delivery(host.startsWith('bitbucket') ? 'bitbucket' : host, body, headers(host, body))
    }

    /** The headers {@code host} sends {@code body} with, under a new delivery id. */
    static Map<String, String> headers(String host, byte[] body) {
        switch (host) {
            case 'github': return githubHeaders(body, SECRET)
            case 'gitlab': return gitlabHeaders(SECRET)
            case 'gitea': return giteaHeaders(body, SECRET)
            case 'bitbucket dc': return bitbucketDcHeaders(body, SECRET)
            case 'bitbucket cloud': return bitbucketCloudHeaders(body, SECRET)
            default: throw new IllegalArgumentException(host)
        }
    }

    long runCount() {
        http.get('/runs?project=mono').json.total as long
    }
}
