package io.stoker.server.auth

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.trigger.MutableClock
import spock.lang.Shared
import spock.lang.Stepwise

import java.time.Clock
import java.time.Duration
import java.time.Instant

/** Failed logins are limited per user name from an address and per address; the window moves with the auth clock. */
@Stepwise
class LoginLimitSpec extends ServerSpecification {
    static final String PW = 'a-long-enough-password'

    @Shared MutableClock clock = new MutableClock(Instant.now())

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), clock)
    }

    def setupSpec() {
        assert http.post('/users', [username: 'lee', password: PW, role: 'viewer']).status == 201
    }

    def "after 5 failures for one user from one address, even the right password gets 429 with Retry-After, until the window passes"() {
        given:
        def anon = http.anonymous()

        when:
        def failures = (1..5).collect { anon.post('/login', [username: 'lee', password: 'wrong-password-' + it]).status }
        def limited = anon.post('/login', [username: 'lee', password: PW])

        then:
        failures == [401] * 5
        limited.status == 429
        limited.json.error == 'too many requests'
        (limited.header('Retry-After') as int) in 1..900

        and: 'another user from the same address is not affected'
        anon.post('/login', [username: 'admin', password: Http.ADMIN_PASSWORD]).status == 200

        when:
        clock.advance(Duration.ofMinutes(15).plusSeconds(1))

        then:
        anon.post('/login', [username: 'lee', password: PW]).status == 200
        http.get('/audit?action=login.limited').json[0].target == 'lee'
    }

    def "a wrong current password in a password change counts as a failed login: a token cannot guess faster"() {
        given: 'a user holding an access token of their own'
        assert http.post('/users', [username: 'gus', password: PW, role: 'viewer']).status == 201
        def gus = Http.loggedIn(server.url(), 'gus', PW)

        when: 'five guesses of the current password, then the right one'
        def guesses = (1..5).collect { gus.put('/users/gus/password', [oldPassword: 'guess-' + it, password: 'another-long-password']) }
        def limited = gus.put('/users/gus/password', [oldPassword: PW, password: 'another-long-password'])

        then: 'each wrong guess is a 400 that says so, audited; then even the right one waits, as a login does'
        guesses*.status == [400] * 5
        guesses[0].json.message.contains("'oldPassword' is not your current password")
        http.get('/audit?action=password.failed').json.count { it.target == 'gus' } == 5
        limited.status == 429
        limited.header('Retry-After') != null
        http.anonymous().post('/login', [username: 'gus', password: PW]).status == 429

        when:
        clock.advance(Duration.ofMinutes(15).plusSeconds(1))

        then: 'after the window the change goes through'
        gus.put('/users/gus/password', [oldPassword: PW, password: 'another-long-password']).status == 204
    }

    def "after 20 failures from one address, every login from it gets 429 until the window passes"() {
        given:
        def anon = http.anonymous()

        when: 'failures spread over many names, none reaching the per-user limit'
        def failures = (1..20).collect { anon.post('/login', [username: 'guess' + (it % 5), password: 'wrong-' + it]).status }
        def limited = anon.post('/login', [username: 'admin', password: Http.ADMIN_PASSWORD])

        then:
        failures.every { it == 401 }
        limited.status == 429
        limited.header('Retry-After') != null

        when:
        clock.advance(Duration.ofMinutes(15).plusSeconds(1))

        then:
        anon.post('/login', [username: 'admin', password: Http.ADMIN_PASSWORD]).status == 200
    }

    def "a flood of 200,000 one-off addresses and user names does not unlock a locked-out user"() {
        given: 'a user locked out by 5 failures'
        assert http.post('/users', [username: 'vic', password: PW, role: 'viewer']).status == 201
        def anon = http.anonymous()
        assert (1..5).collect { anon.post('/login', [username: 'vic', password: 'wrong-' + it]).status } == [401] * 5

        when: 'one failure from each of 200,000 addresses under as many made-up names (straight into the limiters, as AuthService.login records them: 200,000 HTTP logins would take minutes)'
        def auth = server.auth()
        for (int i = 0; i < 200_000; i++) {
            auth.@limits.failed('flood-' + i, '2001:db8::' + Integer.toHexString(i))
        }
        def limited = anon.post('/login', [username: 'vic', password: PW])

        then: 'the victim is still refused'
        limited.status == 429
        limited.header('Retry-After') != null
    }
}
