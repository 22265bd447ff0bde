package io.stoker.server.auth

import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.trigger.MutableClock
import spock.lang.Shared

import java.time.Clock
import java.time.Duration
import java.time.Instant

/**
 * Refused logins are audited yet cannot flood the audit log (one {@code login.limited} per lockout, when it starts;
 * one {@code login.refused} per name and address a window), and the log pages back past its newest entries with
 * {@code before}.
 */
class AuditFloodSpec extends ServerSpecification {
    static final String PW = 'a-long-enough-password'

    @Shared MutableClock clock = new MutableClock(Instant.now())

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), clock)
    }

    List<Map> limited(String user) {
        http.get('/audit?action=login.limited&limit=1000').json.findAll { it.target == user }
    }

    def "a lockout is audited once when it starts, however many refused logins follow, and again when a new one starts"() {
        given:
        assert http.post('/users', [username: 'flo', password: PW, role: 'viewer']).status == 201
        def anon = http.anonymous()

        when: 'five failures lock the user, then twenty more attempts are refused'
        def failures = (1..5).collect { anon.post('/login', [username: 'flo', password: 'wrong-' + it]).status }
        def refused = (1..20).collect { anon.post('/login', [username: 'flo', password: 'wrong-again']).status }

        then:
        failures == [401] * 5
        refused == [429] * 20
        limited('flo').size() == 1
        limited('flo')[0].detail.lockedOut == 'user from address'

        when: 'the window passes and five new failures lock the user again'
        clock.advance(Duration.ofMinutes(15).plusSeconds(1))
        def again = (1..5).collect { anon.post('/login', [username: 'flo', password: 'wrong-later-' + it]).status }
        anon.post('/login', [username: 'flo', password: PW])

        then:
        again == [401] * 5
        limited('flo').size() == 2
    }

    def "a login refused, for a wrong password, an unknown name or by a limit, is audited with the name tried and the address, never the password"() {
        given:
        assert http.post('/users', [username: 'rhea', password: PW, role: 'viewer']).status == 201
        def anon = http.anonymous()

        when: 'an unknown name, five wrong passwords (a lockout), then three more tries, the right password among them'
        assert anon.post('/login', [username: 'nobody-such', password: 'guessed-password-0']).status == 401
        def failures = (1..5).collect { anon.post('/login', [username: 'rhea', password: 'guessed-password-' + it]).status }
        def refused = [PW, 'guessed-password-6', 'guessed-password-7'].collect { anon.post('/login', [username: 'rhea', password: it]).status }
        def audit = http.get('/audit?action=login&limit=1000')

        then:
        failures == [401] * 5
        refused == [429] * 3
        def about = { String name, String action -> audit.json.findAll { it.target == name && it.action == action } }
        about('nobody-such', 'login.failed')*.detail*.address == ['127.0.0.1']
        about('rhea', 'login.failed').size() == 5
        with(about('rhea', 'login.refused')) {
            size() == 1 // once a window per name and address: repeating a refused login writes no more rows
            it[0].actor == '-'
            it[0].detail == [address: '127.0.0.1', limit: 'user from address']
        }
        !audit.text.contains('guessed-password')
        !audit.text.contains(PW)
    }

    def "the audit log pages back with before: the next page holds the older entries, none twice"() {
        given: 'more entries than one page'
        (1..6).each { assert http.post('/users', [username: 'pager' + it, password: PW, role: 'viewer']).status == 201 }

        when:
        def all = http.get('/audit?limit=1000').json
        def first = http.get('/audit?limit=4').json
        def second = http.get("/audit?limit=4&before=${first[-1].id}").json
        def users = http.get('/audit?action=user.created&limit=2').json
        def olderUsers = http.get("/audit?action=user.created&limit=2&before=${users[-1].id}").json

        then:
        all.size() > 8
        first*.id == all.take(4)*.id
        second*.id == all.drop(4).take(4)*.id
        users*.target == ['pager6', 'pager5']
        olderUsers*.target == ['pager4', 'pager3']
        http.get("/audit?before=${all[-1].id}").json == []
        http.get('/audit?before=0').status == 400
        http.get('/audit?before=x').status == 400
    }
}
