package io.stoker.server.cluster

import io.stoker.server.Http
import io.stoker.server.MigratedPostgres
import io.stoker.server.ServerJvm
import io.stoker.server.auth.AuthService
import io.stoker.store.postgres.TestPostgres
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * Two real servers on one PostgreSQL database behind one address, as a load balancer would use them: a person
 * managed or logged out through one server is the same person on the other at once (each server keeps its users in
 * memory; a change crosses over LISTEN/NOTIFY and the other reads that user again), not after its restart.
 */
@Requires({ TestPostgres.available() })
class ClusterUsersSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared TestPostgres pg
    @Shared List<ServerJvm> servers = []
    @Shared Map env

    def setupSpec() {
        pg = MigratedPostgres.create()
        // 127.0.0.1 a trusted proxy, so a spec can log in from other addresses by X-Forwarded-For
        env = [STOKER_DB: pg.dbUrl().toString(), STOKER_SLOTS: '1', STOKER_COMPILER: 'in-process',
                   STOKER_CLUSTER_LEASE: ClusterLeases.STEADY, STOKER_TRUSTED_PROXIES: '127.0.0.1']
        servers.addAll(ServerJvm.startCluster(2) { ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1'], env) })
    }

    def cleanupSpec() {
        servers.each { it.close() }
        pg?.close()
    }

    ServerJvm getA() { servers[0] }

    ServerJvm getB() { servers[1] }

    def "a person created through one server logs in through the other at once, with the role given"() {
        when:
        def made = a.http.post('/users', [username: 'dora', password: 'dora-password-12', role: 'viewer'])

        then: 'no waiting for news: the other server reads the new name from the table at login'
        made.status == 201
        def login = b.http.anonymous().post('/login', [username: 'dora', password: 'dora-password-12'])
        login.status == 200
        b.http.anonymous().withToken(login.json.token as String).get('/me').json.role == 'viewer'
    }

    def "a role changed, a person disabled or deleted through one server counts on the other without a restart"() {
        given: 'a developer logged in through B'
        assert a.http.post('/users', [username: 'eli', password: 'eli-password-123', role: 'developer']).status == 201
        def eli = loggedInAt(b, 'eli', 'eli-password-123')
        assert eli.get('/me').json.role == 'developer'

        when: 'A makes eli a viewer'
        assert a.http.put('/users/eli/role', [role: 'viewer']).status == 200

        then:
        Http.eventually(30_000) { eli.get('/me').json.role == 'viewer' }
        b.http.get('/users').json.find { it.username == 'eli' }?.role == 'viewer'

        when: 'A disables eli'
        assert a.http.post('/users/eli/disable', [:]).status == 200

        then: "eli's token stops working on B"
        Http.eventually(30_000) { eli.get('/me').status == 401 }

        when: 'A deletes eli'
        assert a.http.delete('/users/eli').status == 204

        then:
        Http.eventually(30_000) { b.http.get('/users/eli').status == 404 }
    }

    def "an access token logged out through one server is refused by the other too"() {
        given: 'one login (of the admin both servers know from their start), its access token used on both'
        def login = a.http.anonymous().post('/login', [username: 'admin', password: Http.ADMIN_PASSWORD])
        String token = login.json.token
        def atA = a.http.anonymous().withToken(token)
        def atB = b.http.anonymous().withToken(token)
        assert atB.get('/me').status == 200

        when:
        def out = atA.post('/logout', [refreshToken: login.json.refreshToken])

        then:
        out.status == 204
        atA.get('/me').status == 401
        Http.eventually(30_000) { atB.get('/me').status == 401 }
    }

    def "a server that joins after a logout refuses that token too: it reads the ended sessions from the database"() {
        given: 'an access token logged out through A'
        def login = a.http.anonymous().post('/login', [username: 'admin', password: Http.ADMIN_PASSWORD])
        String token = login.json.token
        assert a.http.anonymous().withToken(token).post('/logout', [refreshToken: login.json.refreshToken]).status == 204

        when: 'a third server starts, which was not listening when A told the others'
        def c = ServerJvm.start(dataDir, ['-Xmx256m', '-XX:TieredStopAtLevel=1'], env)
        servers << c

        then:
        with(c.http.anonymous().withToken(token).get('/me')) {
            status == 401
            json.message == 'the token was logged out'
        }
    }

    def "failed logins count on every server: a name locked out through one is locked out through the other"() {
        given:
        assert a.http.post('/users', [username: 'fay', password: 'fay-password-123', role: 'viewer']).status == 201

        when: 'the limit of wrong passwords for fay is reached through A'
        def tries = (1..AuthService.LOGIN_LIMIT_PER_USER_AND_ADDRESS).collect {
            a.http.anonymous().post('/login', [username: 'fay', password: 'wrong-password-' + it]).status
        }

        and: 'B has heard all that A sent until a later change (one sender, in order: the failures first)'
        assert a.http.post('/users', [username: 'marker', password: 'marker-password-1', role: 'viewer']).status == 201
        Http.eventually(30_000) { b.http.get('/users/marker').status == 200 }

        then: 'fay is refused through B too, even with her password'
        tries.every { it == 401 }
        def throughB = b.http.anonymous().post('/login', [username: 'fay', password: 'fay-password-123'])
        throughB.status == 429
        throughB.json.error == 'too many requests'
    }

    def "a name locked out by guesses through one server still logs in through the other from an address it logged in from before"() {
        given: 'ivy logged in through A from 198.51.100.70'
        assert a.http.post('/users', [username: 'ivy', password: 'ivy-password-123', role: 'viewer']).status == 201
        assert login(a, 'ivy', 'ivy-password-123', '198.51.100.70').status == 200

        when: '100 wrong passwords through A, 4 from each of 25 addresses, and B has heard them'
        def guesses = (0..<100).collect { login(a, 'ivy', 'wrong-' + it, "203.0.9.${it.intdiv(4) + 1}").status }
        assert a.http.post('/users', [username: 'marker2', password: 'marker-password-1', role: 'viewer']).status == 201
        Http.eventually(30_000) { b.http.get('/users/marker2').status == 200 }

        then: 'B refuses her name from a new address, and lets her in from the one A knows'
        guesses.every { it == 401 }
        login(b, 'ivy', 'ivy-password-123', '192.0.2.70').status == 429
        login(b, 'ivy', 'ivy-password-123', '198.51.100.70').status == 200
    }

    def "a good login through one server starts that name's count from that address again on the other"() {
        given:
        assert a.http.post('/users', [username: 'jay', password: 'jay-password-123', role: 'viewer']).status == 201

        when: '4 wrong passwords and then the right one through A, and B has heard them'
        def before = (1..4).collect { login(a, 'jay', 'wrong-' + it, '198.51.100.80').status }
        assert login(a, 'jay', 'jay-password-123', '198.51.100.80').status == 200
        assert a.http.post('/users', [username: 'marker3', password: 'marker-password-1', role: 'viewer']).status == 201
        Http.eventually(30_000) { b.http.get('/users/marker3').status == 200 }

        and: '4 more wrong passwords through B'
        def after = (1..4).collect { login(b, 'jay', 'wrong-later-' + it, '198.51.100.80').status }

        then: 'none reached the limit of 5'
        before == [401] * 4
        after == [401] * 4
        login(b, 'jay', 'jay-password-123', '198.51.100.80').status == 200
    }

    private static Http.Reply login(ServerJvm server, String username, String password, String from) {
        server.http.anonymous().postRaw('/login', Http.JSON.writeValueAsBytes([username: username, password: password]),
                ['content-type': 'application/json', 'X-Forwarded-For': from])
    }

    def "a download link used through one server is refused as used by the other: the use is stored, not kept in memory"() {
        given: 'a link asked for through A (for a run there is none of: its use is checked before the route answers)'
        def link = a.http.post('/downloads', [path: '/runs/no-such-run/log'])
        assert link.status == 200, link.text
        String url = link.json.url - '/api/v1'

        when:
        def first = b.http.anonymous().get(url)
        def second = a.http.anonymous().get(url)

        then: 'B let it through to the route; A knows it was used'
        first.status == 404
        second.status == 410
        second.json.message == 'the download link was used already: download again from the page'
    }

    /** A client of {@code server} that sends the access token of a fresh login of {@code username} there. */
    private static Http loggedInAt(ServerJvm server, String username, String password) {
        def login = server.http.anonymous().post('/login', [username: username, password: password])
        assert login.status == 200, login.text
        server.http.anonymous().withToken(login.json.token as String)
    }
}
