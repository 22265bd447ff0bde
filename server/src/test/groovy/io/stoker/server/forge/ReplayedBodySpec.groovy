package io.stoker.server.forge

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
 * A host signs a delivery's body, not its id: a push captured on the way could be sent again under a new id and
 * build (and perhaps deploy) its old commit. The same signed body is refused for as long as the ids are kept,
 * whatever id it comes under, on every git host the server takes pushes from.
 */
class ReplayedBodySpec extends ServerSpecification {
    static final String SECRET = 'server-wide-secret'
    static final String JOBFILE = "job('build') { triggers { push branches: ['main'] }\n task('t') { sh 'true' } }\n"

    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared TestRepo repo
    @Shared String url
    @Shared String head

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(config.withWebhookSecret(SECRET))
    }

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-replay-git'))
        gitServer = GitHttpServer.serve(gitRoot)
        repo = TestRepo.create(gitRoot.resolve('PROJ/mono.git'))
        url = gitServer.url('PROJ/mono.git')
        head = repo.commit('main', 'first', [Jobfile: JOBFILE])
        def created = http.post('/projects', [name: 'mono', gitUrl: url, branch: 'main'])
        assert created.status == 201, created.text
    }

    def cleanupSpec() {
        gitServer?.close()
        repo?.close()
    }

    def "the same signed #host push under a new delivery id is a 409 and builds nothing"() {
        given: 'a push the host delivered, its run started'
        String before = head
        head = repo.commit('main', "change for $host", [(host.replace(' ', '-') + '.txt'): '1\n'])
        byte[] body = payload.call(before, head) as byte[]
        def first = http.postRaw("/hooks/$path", body, headers.call(body) as Map)
        assert first.status == 202, first.text
        long runs = runCount()

        when: 'the captured body is sent again under a new id'
        def again = http.postRaw("/hooks/$path", body, headers.call(body) as Map)

        then:
        again.status == 409
        again.json.error == 'replayed'
        again.json.message.contains('has the same signed body as a delivery received before under another id')
        runCount() == runs

        where:
        host               | path        | payload                                                                                    | headers
        'github'           | 'github'    | { from, to -> json(githubPush(url, 'refs/heads/main', from, to, [commit(to, 'c')])) }               | { bytes -> githubHeaders(bytes, SECRET) }
        'gitlab'           | 'gitlab'    | { from, to -> json(gitlabPush(url, 'refs/heads/main', from, to, [commit(to, 'c')])) }               | { bytes -> gitlabHeaders(SECRET) }
        'gitea'            | 'gitea'     | { from, to -> json(giteaPush(url, 'refs/heads/main', from, to, [commit(to, 'c')])) }                | { bytes -> giteaHeaders(bytes, SECRET) }
        'bitbucket dc'     | 'bitbucket' | { from, to -> json(bitbucketDcPush('PROJ', 'mono', 'refs/heads/main', from, to)) }                 | { bytes -> bitbucketDcHeaders(bytes, SECRET) }
        'bitbucket cloud'  | 'bitbucket' | { from, to -> json(bitbucketCloudPush(url.replaceAll(/\.git$/, ''), 'PROJ/mono', 'main', from, to, 'c')) } | { bytes -> bitbucketCloudHeaders(bytes, SECRET) }
    }

    def "the same id is still told as a replay of the id, and a new push under a new id still builds"() {
        given:
        String before = head
        head = repo.commit('main', 'another', ['another.txt': '1\n'])
        byte[] body = json(githubPush(url, 'refs/heads/main', before, head, [commit(head, 'c')]))
        def headers = githubHeaders(body, SECRET)

        expect:
        http.postRaw('/hooks/github', body, headers).status == 202
        with(http.postRaw('/hooks/github', body, headers)) {
            status == 409
            json.message.contains("delivery '${headers['X-GitHub-Delivery']}' was received before")
        }
    }

    private long runCount() {
        http.get('/runs?project=mono').json.total as long
    }
}
