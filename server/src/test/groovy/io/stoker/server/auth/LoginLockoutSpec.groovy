package io.stoker.server.auth

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.SuiteEnv
import io.stoker.server.trigger.MutableClock
import spock.lang.Shared

import java.time.Clock
import java.time.Duration
import java.time.Instant

/**
 * Nobody can lock a user out by guessing their password: 5 wrong passwords lock that user name from that address
 * only, and the 100 from everywhere that lock the name itself spare the addresses the user logged in from in the
 * last 30 days. The clients are told apart by X-Forwarded-For, 127.0.0.1 (where the spec connects from) being a
 * trusted proxy, as in {@link TrustedProxySpec}. Each feature has its own users and addresses.
 */
class LoginLockoutSpec extends ServerSpecification {
    static final String PW = 'a-long-enough-password'

    @Shared MutableClock clock = new MutableClock(Instant.now())

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), clock, SuiteEnv.with([STOKER_TRUSTED_PROXIES: '127.0.0.1']))
    }

    Http.Reply login(String user, String password, String from) {
        http.anonymous().postRaw('/login', Http.JSON.writeValueAsBytes([username: user, password: password]),
                ['content-type': 'application/json', 'X-Forwarded-For': from])
    }

    /** 100 wrong passwords for {@code user}, 4 from each of 25 addresses of {@code net}: under every limit but the name's. */
    List<Integer> guessFromEverywhere(String user, int net) {
        (0..<100).collect { login(user, 'wrong-' + it, "203.0.${net}.${it.intdiv(4) + 1}").status }
    }

    List<Map> limited(String user) {
        http.get('/audit?action=login.limited&limit=1000').json.findAll { it.target == user }
    }

    def newUser(String name) {
        assert http.post('/users', [username: name, password: PW, role: 'viewer']).status == 201
    }

    def "5 wrong passwords for admin from one address lock admin out of that address only: admin logs in from an address used before"() {
        given: 'admin logged in from 198.51.100.20 once'
        assert login('admin', Http.ADMIN_PASSWORD, '198.51.100.20').status == 200

        when: 'someone at 203.0.113.20 guesses five times, then even the right password'
        def guesses = (1..5).collect { login('admin', 'wrong-' + it, '203.0.113.20').status }
        def attacker = login('admin', Http.ADMIN_PASSWORD, '203.0.113.20')

        then: 'that address is refused, and told why'
        guesses == [401] * 5
        attacker.status == 429
        attacker.json.message.startsWith('too many failed logins for this user name from this address; try again in ')
        (attacker.header('Retry-After') as int) in 1..900

        and: 'admin still logs in from the address used before'
        login('admin', Http.ADMIN_PASSWORD, '198.51.100.20').status == 200

        and: 'the lockout is audited once, naming what it locked'
        with(limited('admin')) {
            size() == 1
            it[0].detail.lockedOut == 'user from address'
            it[0].detail.address == '203.0.113.20'
        }
    }

    def "guessing one password from many addresses locks the user name once 100 wrong ones come in the window"() {
        given:
        newUser('dana')

        when: '100 wrong passwords, 4 from each of 25 addresses, then one more from a 26th'
        def guesses = guessFromEverywhere('dana', 1)
        def next = login('dana', 'wrong-again', '192.0.2.1')

        then: 'none of the 100 was refused: no address reached its own limits'
        guesses.every { it == 401 }

        and: 'the next is refused for the user name'
        next.status == 429
        next.json.message.startsWith('too many failed logins for this user name; try again in ')
        next.header('Retry-After') != null

        when: 'the window passes'
        clock.advance(AuthService.LOGIN_WINDOW.plusSeconds(1))

        then:
        login('dana', PW, '192.0.2.1').status == 200
    }

    def "while the user name is locked, an address it never logged in from is refused even the right password, a known one is not"() {
        given: 'erin logged in from 198.51.100.40 once; then her name is locked by guesses from everywhere'
        newUser('erin')
        assert login('erin', PW, '198.51.100.40').status == 200
        assert guessFromEverywhere('erin', 2).every { it == 401 }

        expect: 'a new address is refused even with her password'
        login('erin', PW, '192.0.2.2').status == 429

        and: 'from her known address she logs in, and from there her own limits still count: 5 wrong passwords lock it'
        login('erin', PW, '198.51.100.40').status == 200
        (1..5).collect { login('erin', 'wrong-known-' + it, '198.51.100.40').status } == [401] * 5
        login('erin', PW, '198.51.100.40').status == 429
    }

    def "a lockout of the user name is audited once, however many addresses are refused after it"() {
        given:
        newUser('flynn')

        when: 'the name is locked, then 10 more addresses try'
        def guesses = guessFromEverywhere('flynn', 3)
        def refused = (1..10).collect { login('flynn', 'wrong-later', "192.0.2.${100 + it}") }

        then:
        guesses.every { it == 401 }
        refused*.status == [429] * 10
        refused.every { it.json.message.startsWith('too many failed logins for this user name; ') }
        with(limited('flynn')) {
            size() == 1
            it[0].detail.lockedOut == 'user'
        }
    }

    def "an address is known for 30 days after the last good login from it"() {
        given: 'gail logged in from 198.51.100.50 31 days ago, and from 198.51.100.51 29 days ago'
        newUser('gail')
        assert login('gail', PW, '198.51.100.50').status == 200
        clock.advance(Duration.ofDays(2))
        assert login('gail', PW, '198.51.100.51').status == 200
        clock.advance(Duration.ofDays(29))

        when: 'her name is locked by guesses from everywhere'
        def guesses = guessFromEverywhere('gail', 4)

        then: 'the address of 29 days ago is spared, the one of 31 days ago no longer'
        guesses.every { it == 401 }
        login('gail', PW, '198.51.100.51').status == 200
        login('gail', PW, '198.51.100.50').status == 429
    }

    def "a wrong current password in a password change counts like a failed login: it locks that address, not the user"() {
        given: 'hal logged in from 198.51.100.60; his token is used from 203.0.113.60'
        newUser('hal')
        def token = login('hal', PW, '198.51.100.60').json.token as String
        def change = { String old, String from ->
            http.anonymous().withToken(token).raw('PUT', '/users/hal/password',
                    Http.JSON.writeValueAsBytes([oldPassword: old, password: 'another-long-password']),
                    ['content-type': 'application/json', 'X-Forwarded-For': from])
        }

        when: 'five wrong guesses of his password from there, then the right one'
        def guesses = (1..5).collect { change('guess-' + it, '203.0.113.60').status }
        def limitedChange = change(PW, '203.0.113.60')

        then:
        guesses == [400] * 5
        limitedChange.status == 429
        limitedChange.json.message.startsWith('too many wrong passwords for this user name from this address')
        login('hal', PW, '203.0.113.60').status == 429

        and: 'hal still logs in from his address'
        login('hal', PW, '198.51.100.60').status == 200
    }
}
