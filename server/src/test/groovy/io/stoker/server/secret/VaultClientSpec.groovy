package io.stoker.server.secret

import io.stoker.engine.fixtures.ClosedPort
import io.stoker.server.secret.vault.VaultClient
import io.stoker.server.secret.vault.VaultConfig
import io.stoker.server.secret.vault.VaultException
import io.stoker.server.trigger.MutableClock
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

import java.net.ServerSocket
import java.time.Clock
import java.time.Duration
import java.time.Instant

/** The Vault provider against a real HTTP server answering as Vault's KV v2 and AppRole API do. */
class VaultClientSpec extends Specification {
    @Shared @AutoCleanup VaultFixture vault = new VaultFixture()

    def setupSpec() {
        vault.put('secret/ci/npm', [token: 'npm_s3cr3t', user: 'ci'])
        vault.put('kv/team/db', [password: 'pw-in-kv'])
        vault.token('root-ish', ['secret/data/', 'kv/data/'])
        vault.token('narrow', ['secret/data/other/'])
    }

    def setup() {
        vault.sealed = false
        vault.namespace = null
    }

    VaultClient client(Map<String, String> env, Clock clock = Clock.systemUTC()) {
        new VaultClient(VaultConfig.fromEnv([STOKER_VAULT_ADDR: vault.address] + env).orElseThrow(), clock)
    }

    def "a token reads a key of a KV v2 secret, from the default mount or a configured one"() {
        expect:
        client([STOKER_VAULT_TOKEN: 'root-ish']).read('ci/npm', 'token') == 'npm_s3cr3t'
        client([STOKER_VAULT_TOKEN: 'root-ish', STOKER_VAULT_MOUNT: 'kv']).read('team/db', 'password') == 'pw-in-kv'
        vault.requests.contains('GET /v1/secret/data/ci/npm')
        vault.requests.contains('GET /v1/kv/data/team/db')
    }

    def "each Vault refusal is an error that says what went wrong"() {
        when:
        def c = client([STOKER_VAULT_TOKEN: token])
        vault.sealed = sealed
        c.read(path, key)

        then:
        VaultException e = thrown()
        e.status() == status
        e.message.contains(says)

        where:
        token      | sealed | path        | key       || status | says
        'root-ish' | true   | 'ci/npm'    | 'token'   || 503    | 'Vault is sealed'
        'narrow'   | false  | 'ci/npm'    | 'token'   || 403    | 'Vault denied reading secret/ci/npm (403 permission denied)'
        'unknown'  | false  | 'ci/npm'    | 'token'   || 403    | "policy must allow read on secret/data/ci/npm"
        'root-ish' | false  | 'ci/absent' | 'token'   || 404    | 'Vault has no secret at secret/ci/absent'
        'root-ish' | false  | 'ci/npm'    | 'missing' || 0      | "has no key 'missing' (it has: token, user)"
    }

    def "an unreachable Vault is a clear error, not a hang"() {
        given:
        def closed = new ClosedPort()
        int port = closed.port
        def c = new VaultClient(VaultConfig.fromEnv([STOKER_VAULT_ADDR: "http://127.0.0.1:$port".toString(), STOKER_VAULT_TOKEN: 't']).orElseThrow(), Clock.systemUTC())

        when:
        c.read('ci/npm', 'token')

        then:
        VaultException e = thrown()
        e.message.startsWith("Vault at http://127.0.0.1:$port is unreachable")

        cleanup:
        closed?.close()
    }

    def "the namespace header is sent when configured, and a missing one is refused as Vault does"() {
        given:
        vault.namespace = 'team-a'

        expect:
        client([STOKER_VAULT_TOKEN: 'root-ish', STOKER_VAULT_NAMESPACE: 'team-a']).read('ci/npm', 'user') == 'ci'

        when:
        client([STOKER_VAULT_TOKEN: 'root-ish']).read('ci/npm', 'user')

        then:
        VaultException e = thrown()
        e.status() == 403
    }

    def "AppRole logs in once, reuses the token, and logs in again when Vault revokes it or its lease runs out"() {
        given:
        vault.role('role-1', 'secret-1', ['secret/data/ci/'], 600)
        def clock = new MutableClock(Instant.parse('2026-01-01T00:00:00Z'))
        def c = client([STOKER_VAULT_ROLE_ID: 'role-1', STOKER_VAULT_SECRET_ID: 'secret-1'], clock)
        int before = vault.logins

        when: 'two reads'
        c.read('ci/npm', 'token')
        c.read('ci/npm', 'user')

        then: 'one login'
        vault.logins == before + 1

        when: 'Vault forgets every token'
        vault.revokeAll()

        then: 'the next read is refused, logs in again and succeeds'
        c.read('ci/npm', 'token') == 'npm_s3cr3t'
        vault.logins == before + 2

        when: 'the lease of 600 s is nearly over'
        clock.advance(Duration.ofSeconds(590))
        c.read('ci/npm', 'token')

        then: 'it logs in before reading, instead of sending a token about to expire'
        vault.logins == before + 3
    }

    def "a wrong AppRole secret id is a clear login error"() {
        given:
        vault.role('role-2', 'right', ['secret/data/'], 600)

        when:
        client([STOKER_VAULT_ROLE_ID: 'role-2', STOKER_VAULT_SECRET_ID: 'wrong']).read('ci/npm', 'token')

        then:
        VaultException e = thrown()
        e.status() == 400
        e.message == 'Vault AppRole login failed (400 invalid secret id): check STOKER_VAULT_ROLE_ID and STOKER_VAULT_SECRET_ID'
    }

    def "configuration is checked when the server starts"() {
        expect:
        !VaultConfig.fromEnv([:]).isPresent()

        when:
        VaultConfig.fromEnv(env)

        then:
        IllegalArgumentException e = thrown()
        e.message.contains(says)

        where:
        env                                                                                    || says
        [STOKER_VAULT_ADDR: 'http://127.0.0.1:8200']                                           || 'needs STOKER_VAULT_TOKEN, or STOKER_VAULT_ROLE_ID and STOKER_VAULT_SECRET_ID'
        [STOKER_VAULT_ADDR: 'ftp://vault', STOKER_VAULT_TOKEN: 't']                            || 'must be an http(s) URL'
        [STOKER_VAULT_ADDR: 'http://v:1', STOKER_VAULT_TOKEN: 't', STOKER_VAULT_ROLE_ID: 'r']  || 'not both'
    }

    def "the configuration's text hides the token and the secret id"() {
        expect:
        !VaultConfig.fromEnv([STOKER_VAULT_ADDR: 'http://v:1', STOKER_VAULT_TOKEN: 'hvs.topsecret']).orElseThrow().toString().contains('topsecret')
        !VaultConfig.fromEnv([STOKER_VAULT_ADDR: 'http://v:1', STOKER_VAULT_ROLE_ID: 'r', STOKER_VAULT_SECRET_ID: 'sid-42']).orElseThrow().toString().contains('sid-42')
    }
}
