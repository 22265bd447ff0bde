package io.stoker.server

import io.stoker.server.outbox.Receiver
import io.stoker.server.secret.VaultFixture
import spock.lang.Shared

import java.time.Clock

/**
 * Secrets kept in Vault: registered by reference, read at run start through AppRole, masked like stored ones; a
 * Vault that refuses fails the run with the reason. The server talks to a Vault KV v2 stand-in over real HTTP.
 */
class VaultSecretsSpec extends ServerSpecification {
    @Shared VaultFixture vault
    @Shared Receiver ntfy = new Receiver().up()

    @Override
    StokerServer startServer(ServerConfig config) {
        vault = new VaultFixture()
        vault.role('stoker-role', 'stoker-secret-id', ['secret/data/ci/'], 3600)
        vault.put('secret/ci/npm', [token: 'npm_FROM_VAULT_1', user: 'ci'])
        vault.put('secret/other/x', [token: 'not-for-stoker'])
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), SuiteEnv.with([
                STOKER_VAULT_ADDR     : vault.address,
                STOKER_VAULT_ROLE_ID  : 'stoker-role',
                STOKER_VAULT_SECRET_ID: 'stoker-secret-id']))
    }

    def cleanupSpec() {
        vault?.close()
        ntfy.close()
    }

    def setupSpec() {
        freestyle('web', '''
job('publish') {
    secrets 'NPM_TOKEN'
    task('t') { sh 'echo "publishing with $NPM_TOKEN"' }
}
job('told') {
    secrets 'NPM_TOKEN'
    notify { on 'failed'; ntfy 'NTFY_URL' }
    task('t') { sh 'echo "publishing with $NPM_TOKEN"' }
}
'''.replace('NTFY_URL', ntfy.url('/failed')))
    }

    def setup() {
        vault.sealed = false
    }

    void reference(Map vaultRef) {
        def r = http.put('/secrets/NPM_TOKEN?project=web', [vault: vaultRef])
        if (r.status == 404) r = http.post('/secrets', [name: 'NPM_TOKEN', project: 'web', vault: vaultRef])
        assert r.status in [200, 201], r.text
    }

    def "a Vault-backed secret is read at run start and masked; a value rotated in Vault counts from the next run"() {
        given:
        reference(path: 'ci/npm', key: 'token')

        when:
        def first = trigger('web', 'publish')
        awaitEnd(first)
        vault.put('secret/ci/npm', [token: 'npm_FROM_VAULT_2', user: 'ci'])
        def second = trigger('web', 'publish')
        def run = awaitEnd(second)

        then:
        run.status == 'succeeded'
        http.get("/runs/$first/tasks/t/log").text.contains('publishing with ****')
        http.get("/runs/$second/tasks/t/log").text.contains('publishing with ****')
        !http.get("/runs/$first/log").text.contains('npm_FROM_VAULT')
        !http.get("/runs/$second/log").text.contains('npm_FROM_VAULT')
        vault.requests.contains('POST /v1/auth/approle/login')
        vault.requests.count { it == 'GET /v1/secret/data/ci/npm' } >= 2
    }

    def "a Vault that refuses fails the run before any task starts, with the reason"() {
        given:
        reference(ref)
        vault.sealed = sealed

        when:
        def key = trigger('web', 'publish')
        def run = awaitEnd(key)

        then:
        run.status == 'failed'
        run.reason.startsWith("could not start: secret 'NPM_TOKEN': ")
        run.reason.contains(says)

        where:
        ref                                   | sealed || says
        [path: 'ci/npm', key: 'token']        | true   || 'Vault is sealed (503): unseal it, then run again'
        [path: 'other/x', key: 'token']       | false  || 'Vault denied reading secret/other/x (403 permission denied)'
        [path: 'ci/absent', key: 'token']     | false  || 'Vault has no secret at secret/ci/absent (404'
        [path: 'ci/npm', key: 'password']     | false  || "the Vault secret secret/ci/npm has no key 'password' (it has: token, user)"
    }

    def "a run failed by a Vault that refuses is still told: the notification goes out, without log lines"() {
        given:
        reference(path: 'ci/npm', key: 'token')
        vault.sealed = true

        when:
        def key = trigger('web', 'told')
        def run = awaitEnd(key)

        then:
        run.status == 'failed'
        Http.eventually { ntfy.got.find { it.path == '/failed' } }
        ntfy.got.find { it.path == '/failed' }.headers['title'] == 'web/told #1 failed'
    }
}
