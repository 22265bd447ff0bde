package io.stoker.server.auth

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.db.Database
import io.stoker.server.trigger.MutableClock
import spock.lang.Shared

import java.time.Clock
import java.time.Duration
import java.time.Instant

/**
 * Access tokens ended before they expire (a logout, a refresh token used twice) stay refused when the server
 * restarts: what ended them is stored, until the tokens would have expired anyway.
 */
class EndedSessionsSpec extends ServerSpecification {
    @Shared MutableClock clock = new MutableClock(Instant.now())
    @Shared ServerConfig config

    @Override
    StokerServer startServer(ServerConfig c) {
        config = c
        StokerServer.start(MigratedDatabase.into(c), Clock.systemDefaultZone(), clock)
    }

    Map login() {
        def r = http.anonymous().post('/login', [username: 'admin', password: Http.ADMIN_PASSWORD])
        assert r.status == 200, r.text
        r.json
    }

    /** Stops the server, hands its database to {@code meanwhile} while it is down, and starts it again. */
    void restart(Closure meanwhile = {}) {
        server.close()
        Database db = Database.open(dataDir, postgres?.dbUrl())
        try {
            meanwhile(db)
        } finally {
            db.close()
        }
        server = startServer(config)
        http = new Http(server.url(), http.token)
    }

    def "a logged-out access token stays refused after a restart; another login's does not"() {
        given:
        def out = login()
        def kept = login()
        assert http.withToken(out.token).post('/logout', [refreshToken: out.refreshToken]).status == 204

        when:
        restart()

        then:
        with(http.withToken(out.token).get('/me')) {
            status == 401
            json.message == 'the token was logged out'
        }
        http.withToken(kept.token).get('/me').status == 200
    }

    def "the access tokens of a login ended for a reused refresh token stay refused after a restart"() {
        given:
        def first = login()
        def second = http.anonymous().post('/token/refresh', [refreshToken: first.refreshToken]).json
        assert http.anonymous().post('/token/refresh', [refreshToken: first.refreshToken]).status == 401

        when:
        restart()

        then:
        [first.token, second.token].every { token ->
            def r = http.withToken(token).get('/me')
            assert r.status == 401
            assert r.json.message.contains('its refresh token was used twice')
            true
        }
    }

    def "an ended token is kept until it would have expired, then forgotten"() {
        given: 'a token logged out, then its lifetime over, then another logged out'
        def old = login()
        assert http.withToken(old.token).post('/logout', [refreshToken: old.refreshToken]).status == 204
        clock.advance(Duration.ofMinutes(15).plusSeconds(1))
        def recent = login()
        assert http.withToken(recent.token).post('/logout', [refreshToken: recent.refreshToken]).status == 204

        when:
        Set<String> stored = []
        restart { Database db ->
            db.connection().withCloseable { c ->
                def r = c.createStatement().executeQuery('SELECT id FROM ended_sessions')
                while (r.next()) stored << r.getString(1)
            }
        }

        then: 'the expired one was pruned, the other is kept and still refused'
        !stored.contains(Jwts.claims(old.token).jti)
        stored.contains(Jwts.claims(recent.token).jti)
        http.withToken(recent.token).get('/me').json.message == 'the token was logged out'
    }
}
