package io.stoker.server.agent

import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerSpecification

import io.stoker.agent.ssh.fixtures.SshTestServer
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.StokerServer
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** What a server restart keeps of its agents: the sealed keys, learned host keys and blocks. */
class AgentRestartSpec extends Specification {
    @TempDir Path dataDir
    @TempDir Path agentDirs
    StokerServer server
    List<SshTestServer> ssh = []

    def cleanup() {
        server?.close()
        ssh*.close()
    }

    StokerServer start() {
        StokerServer.start(MigratedDatabase.into(ServerConfig.defaults().withPort(0).withDataDir(dataDir).withSlots(2)
                .withIsolatedCompiler(false).withAdminPassword(Http.ADMIN_PASSWORD)))
    }

    /** The API client for the current server (the one place to log in once the server has authentication). */
    Http client() {
        ServerSpecification.clientFor(server)
    }

    Map body(String name, SshTestServer s, Map changes) {
        [name: name, host: s.host(), port: s.port(), user: s.user(), privateKey: s.clientKeys().privateKeyText(),
         workDir: agentDirs.resolve(name).toString()] + changes
    }

    def "after a restart agents reconnect with their stored keys, learned host keys stay pinned and blocks stay"() {
        given:
        def tofuHost = SshTestServer.start()
        def movedHost = SshTestServer.start()
        ssh << tofuHost << movedHost
        server = start()
        def http = client()
        assert http.post('/agents', body('tofu', tofuHost, [trustOnFirstUse: true])).status == 201
        assert http.post('/agents', body('moved', movedHost, [hostKey: movedHost.hostKeyFingerprint()])).status == 201
        Http.eventually { http.get('/agents').json.every { it.status == 'online' } }
        Http.eventually { http.get('/agents/tofu').json.hostKey == tofuHost.hostKeyFingerprint() }
        movedHost.restart(true)
        Http.eventually { http.get('/agents/moved').json.status == 'blocked' }

        when:
        server.close()
        server = start()
        http = client()

        then: 'the trust-on-first-use agent is pinned to the key it learned and connects with its stored private key'
        Http.eventually(60_000) { http.get('/agents/tofu').json.status == 'online' }
        http.get('/agents/tofu').json.hostKey == tofuHost.hostKeyFingerprint()

        and: 'the blocked agent stays blocked with its reason until someone pins the new key'
        def moved = http.get('/agents/moved').json
        moved.status == 'blocked'
        moved.statusReason.contains('host key changed')
        http.put('/agents/moved/host-key', [hostKey: movedHost.hostKeyFingerprint()]).status == 200
        Http.eventually(60_000) { http.get('/agents/moved').json.status == 'online' }
    }

    def "a pin the host never matched reads as a wrong pin, one it matched before the restart as a changed key"() {
        given: "one agent pinned to its host's key and online; one pinned by hand to a key that is not its host's"
        def keptHost = SshTestServer.start()
        def typoHost = SshTestServer.start()
        ssh << keptHost << typoHost
        server = start()
        def http = client()
        def wrong = io.stoker.agent.ssh.fixtures.TestKeys.generate().fingerprint()
        assert http.post('/agents', body('kept', keptHost, [hostKey: keptHost.hostKeyFingerprint()])).status == 201
        assert http.post('/agents', body('typo', typoHost, [hostKey: wrong])).status == 201
        Http.eventually { http.get('/agents/kept').json.status == 'online' }

        expect: 'nothing changed on the wrongly pinned host: the reason says the pin never matched, and how to mend it'
        Http.eventually { http.get('/agents/typo').json.status == 'blocked' }
        def typo = http.get('/agents/typo').json
        typo.statusReason.startsWith("host key never matched its pin: expected $wrong, got ${typoHost.hostKeyFingerprint()}")
        !typo.statusReason.contains('host key changed')
        typo.statusReason.endsWith("pin it: stoker agent pin typo --host-key ${typoHost.hostKeyFingerprint()}")
        typo.offeredHostKey == typoHost.hostKeyFingerprint()

        when: "the server stops, the kept agent's machine gets another host key, and the server starts again"
        server.close()
        def old = keptHost.hostKeyFingerprint()
        keptHost.restart(true)
        server = start()
        http = client()

        then: 'the stored pin had matched, so the new key is a change'
        Http.eventually(60_000) { http.get('/agents/kept').json.status == 'blocked' }
        http.get('/agents/kept').json.statusReason.startsWith("host key changed: expected $old, got ${keptHost.hostKeyFingerprint()}")
        http.get('/agents/typo').json.statusReason.startsWith('host key never matched its pin')
    }

    def "an agent whose key the master key does not open is blocked, and the advice names the master key before removing it"() {
        given: 'an agent registered, then the server started again with a master key of its own'
        server = start()
        def http = client()
        String hostKey = TestKeys.otherFingerprint()
        assert http.post('/agents', [name: 'builder1', host: '127.0.0.1', port: 1, user: 'ci',
                privateKey: TestKeys.openSsh(TestKeys.ecKeyPair()), hostKey: hostKey]).status == 201
        server.close()
        Files.delete(dataDir.resolve('master.key'))
        server = start()
        http = client()

        when:
        def agent = http.get('/agents/builder1').json
        def pinned = http.put('/agents/builder1/host-key', [hostKey: TestKeys.otherFingerprint()])

        then: 'removing and adding it again, which in a cluster would seal it with a key the other servers lack, comes last'
        agent.status == 'blocked'
        agent.statusReason.startsWith('its private key cannot be decrypted (')
        agent.statusReason.endsWith("): this server's master key is not the one that sealed it; start every server of " +
                'a cluster on the same --data-dir (or the same STOKER_MASTER_KEY), and only if that master key is lost, ' +
                'remove and add the agent again')
        pinned.status == 409
        pinned.json.message.endsWith('and only if that master key is lost, remove and add the agent again')
        http.get('/agents/builder1').json.hostKey == hostKey
    }

    def "a run a stop cut short has its copy removed from the agent once the next start has marked it failed"() {
        given: 'a run whose task is running on an agent'
        def host = SshTestServer.start()
        ssh << host
        server = start()
        def http = client()
        assert http.post('/agents', body('box', host, [hostKey: host.hostKeyFingerprint()])).status == 201
        // a first connection in persistent mode starts two JVMs on the host: seconds each on a loaded machine
        Http.eventually(60_000) { http.get('/agents/box').json.status == 'online' }
        assert http.post('/projects', [name: 'cut', jobfile: "job('j') { task('t') { agent 'box'; sh 'echo left > left.txt; sleep 600' } }"]).status == 201
        String key = http.post('/projects/cut/jobs/j/runs', [:]).json.key
        Path copy = agentDirs.resolve("box/runs/$key")
        Http.eventually { Files.exists(copy.resolve('ws/left.txt')) }

        when: 'the server stops, the run still running'
        server.close()

        then:
        Files.exists(copy)

        when:
        server = start()
        http = client()

        then: 'the run is marked failed, and the agent no longer holds its copy'
        Http.eventually { http.get("/runs/$key").json.status == 'failed' }
        Http.eventually(30_000) { !Files.exists(copy) }
    }

    def "a learned host key is enforced after a restart: an impostor blocks the agent"() {
        given:
        def host = SshTestServer.start()
        ssh << host
        server = start()
        def http = client()
        assert http.post('/agents', body('tofu', host, [trustOnFirstUse: true])).status == 201
        Http.eventually { http.get('/agents/tofu').json.hostKey == host.hostKeyFingerprint() }
        def learned = host.hostKeyFingerprint()

        when:
        server.close()
        host.restart(true)
        server = start()
        http = client()

        then:
        Http.eventually { http.get('/agents/tofu').json.status == 'blocked' }
        http.get('/agents/tofu').json.statusReason.contains("expected $learned")
    }
}
