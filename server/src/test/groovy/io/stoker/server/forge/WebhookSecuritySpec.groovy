package io.stoker.server.forge

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.git.GitHttpServer
import io.stoker.server.git.TestRepo
import spock.lang.Shared
import spock.lang.Stepwise
import spock.lang.TempDir

import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * Webhooks on a server with no configured secret: it generates one (0600 in the data directory) that admins read
 * and rotate; unsigned deliveries, deliveries without an id and replayed ones are refused and start nothing.
 * Features share the server's state in order, hence {@code @Stepwise}.
 */
@Stepwise
class WebhookSecuritySpec extends ServerSpecification {
    @Shared Path gitRoot
    @Shared GitHttpServer gitServer
    @Shared TestRepo app
    @Shared String firstSecret
    @TempDir Path other

    def setupSpec() {
        gitRoot = Files.createDirectories(dataDir.resolveSibling(dataDir.fileName.toString() + '-git'))
        gitServer = GitHttpServer.serve(gitRoot)
        app = TestRepo.create(gitRoot.resolve('app.git'))
        app.commit('main', 'first', [Jobfile: "job('build') { triggers { push branches: ['main'] }\n task('t') { sh 'true' } }\n"])
        def created = http.post('/projects', [name: 'app', gitUrl: gitServer.url('app.git'), branch: 'main'])
        assert created.status == 201, created.text
    }

    def cleanupSpec() {
        gitServer?.close()
        app?.close()
    }

    def "without a configured secret the server generates one, kept 0600 in its data directory, that admins can read"() {
        given:
        def file = dataDir.resolve('webhook.secret')

        when:
        def reply = http.get('/hooks/secret')
        firstSecret = reply.json.secret

        then:
        reply.status == 200
        reply.json.source == 'generated'
        reply.json.rotatable == true
        firstSecret ==~ /[0-9a-f]{64}/
        Files.readString(file).strip() == firstSecret
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) == 'rw-------'
    }

    def "a push signed with it starts a run; the same delivery again is a 409 and starts nothing"() {
        given:
        String pushed = app.commit('main', 'second', [VERSION: '2\n'])
        byte[] body = push(pushed)
        def headers = github(body, firstSecret, 'delivery-1')

        when:
        def first = http.postRaw('/hooks/github', body, headers)

        then:
        first.status == 202
        first.json.runs*.job == ['build']
        awaitEnd(first.json.runs[0].key as String).status == 'succeeded'

        when:
        def again = http.postRaw('/hooks/github', body, headers)

        then:
        again.status == 409
        again.json.error == 'replayed'
        again.json.message.contains("delivery 'delivery-1' was received before")
        runCount() == 1

        when: 'the same id on another host is another delivery; an ignored event is replay-checked too'
        byte[] ping = getClass().getResourceAsStream('/webhook/github-ping.json').bytes
        def pingHeaders = github(ping, firstSecret, 'delivery-2') + ['X-GitHub-Event': 'ping']

        then:
        http.postRaw('/hooks/github', ping, pingHeaders).status == 200
        http.postRaw('/hooks/github', ping, pingHeaders).status == 409
    }

    def "a signed delivery without an id is a 400; an unsigned or wrongly signed one a 401; neither starts a run"() {
        given:
        byte[] body = push(app.commit('main', 'third', [VERSION: '3\n']))
        def noId = github(body, firstSecret, null)
        def unsigned = github(body, firstSecret, 'delivery-3').findAll { k, v -> k != 'X-Hub-Signature-256' }
        def wrong = github(body, 'not-the-secret', 'delivery-4')

        when:
        def replies = [http.postRaw('/hooks/github', body, noId), http.postRaw('/hooks/github', body, unsigned),
                       http.postRaw('/hooks/github', body, wrong)]

        then:
        replies*.status == [400, 401, 401]
        replies[0].json.message.contains('X-GitHub-Delivery')
        replies.every { it.json.error && it.json.message }
        runCount() == 1

        and: 'refused deliveries are not remembered: the same id signed properly is taken'
        http.postRaw('/hooks/github', body, github(body, firstSecret, 'delivery-3')).status == 202
    }

    def "rotating the secret replaces it on disk; deliveries signed with the old one are refused from then on"() {
        when:
        def rotated = http.post('/hooks/secret/rotate', null)

        then:
        rotated.status == 200
        rotated.json.secret ==~ /[0-9a-f]{64}/
        rotated.json.secret != firstSecret
        Files.readString(dataDir.resolve('webhook.secret')).strip() == rotated.json.secret
        http.get('/hooks/secret').json.secret == rotated.json.secret

        when:
        byte[] body = push(app.commit('main', 'fourth', [VERSION: '4\n']))

        then:
        http.postRaw('/hooks/github', body, github(body, firstSecret, 'delivery-5')).status == 401
        http.postRaw('/hooks/github', body, github(body, rotated.json.secret as String, 'delivery-6')).status == 202
    }

    def "the generated secret survives a restart; a configured secret is shown as such and cannot be rotated"() {
        given:
        def generated = http.get('/hooks/secret').json.secret

        when: 'a second server, on its own data directory, with a configured secret'
        def s = StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(other).withIsolatedCompiler(false)
                .withWebhookSecret('from-config').withAdminPassword(Http.ADMIN_PASSWORD)))
        def h = newHttp(s.url())
        def shown = h.get('/hooks/secret')
        def rotate = h.post('/hooks/secret/rotate', null)

        then:
        shown.json == [secret: 'from-config', source: 'configuration', rotatable: false]
        rotate.status == 409
        rotate.json.error == 'configured'
        !Files.exists(other.resolve('webhook.secret'))

        and: 'the file the shared server wrote is what a restart reads again'
        WebhookSecret.load(dataDir, null).current() == generated

        cleanup:
        s?.close()
    }

    def "a project with a secret of its own is another webhook: the event's id again, signed with that secret, starts it once"() {
        given: 'a second project of the same repository, whose hook on the host is signed with its own secret'
        assert http.post('/projects', [name: 'mirror', gitUrl: gitServer.url('app.git'), branch: 'main',
                                       webhookSecret: 'mirror-secret']).status == 201
        String serverSecret = http.get('/hooks/secret').json.secret
        byte[] body = push(app.commit('main', 'both hooks', [VERSION: '2b\n']))

        when: 'the host sends the one event to both hooks under one id, as GitHub and GitLab do'
        def serverHook = http.postRaw('/hooks/github', body, github(body, serverSecret, 'event-7'))
        def ownHook = http.postRaw('/hooks/github', body, github(body, 'mirror-secret', 'event-7'))

        then:
        serverHook.status == 202
        serverHook.json.runs*.project == ['app']
        ownHook.status == 202
        ownHook.json.runs*.project == ['mirror']

        and: 'the delivery of either hook, replayed, is still refused'
        http.postRaw('/hooks/github', body, github(body, 'mirror-secret', 'event-7')).status == 409
        http.postRaw('/hooks/github', body, github(body, serverSecret, 'event-7')).status == 409

        cleanup:
        http.delete('/projects/mirror')
    }

    private long runCount() {
        http.get('/runs?project=app').json.total as long
    }

    private byte[] push(String commit) {
        def payload = Http.JSON.readValue(getClass().getResourceAsStream('/webhook/github-push.json'), Map)
        payload.ref = 'refs/heads/main'
        payload.after = commit
        payload.repository.clone_url = gitServer.url('app.git')
        Http.JSON.writeValueAsBytes(payload)
    }

    private static Map<String, String> github(byte[] body, String secret, String delivery) {
        def h = ['X-GitHub-Event': 'push', 'X-Hub-Signature-256': 'sha256=' + hmac(body, secret), 'content-type': 'application/json']
        if (delivery != null) h['X-GitHub-Delivery'] = delivery
        h
    }

    private static String hmac(byte[] body, String secret) {
        Mac mac = Mac.getInstance('HmacSHA256')
        mac.init(new SecretKeySpec(secret.getBytes('UTF-8'), 'HmacSHA256'))
        mac.doFinal(body).encodeHex().toString()
    }
}
