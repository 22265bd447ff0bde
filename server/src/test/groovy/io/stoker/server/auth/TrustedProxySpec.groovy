package io.stoker.server.auth

import io.stoker.server.MigratedDatabase
import io.stoker.server.SuiteEnv
import io.stoker.server.Http
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.trigger.MutableClock
import spock.lang.Shared
import spock.lang.Stepwise

import java.time.Clock
import java.time.Instant

/**
 * Behind a reverse proxy every connection comes from the proxy. With the proxy named in
 * {@code STOKER_TRUSTED_PROXIES} (here 127.0.0.1, where the spec's client connects from), the failed-login limit
 * per address counts each client its X-Forwarded-For names, so one client's failures do not lock out the others.
 */
@Stepwise
class TrustedProxySpec extends ServerSpecification {
    @Shared MutableClock clock = new MutableClock(Instant.now())

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), clock, SuiteEnv.with([STOKER_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8']))
    }

    static byte[] login(String user, String password) {
        Http.JSON.writeValueAsBytes([username: user, password: password])
    }

    static Map<String, String> from(String forwardedFor) {
        ['content-type': 'application/json', 'X-Forwarded-For': forwardedFor]
    }

    def "20 failures of one client behind the proxy lock out that client, not the others behind it"() {
        given:
        def anon = http.anonymous()

        when: 'failures spread over many names from 203.0.113.7, none reaching the per-user limit'
        def failures = (1..20).collect {
            anon.postRaw('/login', login('guess' + (it % 5), 'wrong-' + it), from('203.0.113.7')).status
        }

        then:
        failures.every { it == 401 }
        anon.postRaw('/login', login('admin', Http.ADMIN_PASSWORD), from('203.0.113.7')).status == 429

        and: 'another client through the same proxy logs in'
        anon.postRaw('/login', login('admin', Http.ADMIN_PASSWORD), from('198.51.100.9')).status == 200

        and: 'the audit log names the clients, not the proxy'
        http.get('/audit?action=login.failed').json*.detail*.address.toSet() == ['203.0.113.7'] as Set
    }

    def "a client cannot escape its lock by writing its own X-Forwarded-For: only what the proxies added counts"() {
        expect: 'the proxy appended 203.0.113.7 after what the client wrote; a second proxy (10.1.2.3) came after it'
        http.anonymous().postRaw('/login', login('admin', Http.ADMIN_PASSWORD),
                from('198.51.100.9, 203.0.113.7, 10.1.2.3')).status == 429
    }
}
