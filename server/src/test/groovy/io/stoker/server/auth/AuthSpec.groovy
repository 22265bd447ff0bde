package io.stoker.server.auth

import io.stoker.server.Http
import io.stoker.server.MigratedDatabase
import io.stoker.server.ServerConfig
import io.stoker.server.ServerSpecification
import io.stoker.server.StokerServer
import io.stoker.server.trigger.MutableClock
import spock.lang.Shared

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermission
import java.time.Clock
import java.time.Duration
import java.time.Instant

/**
 * Logins, access and refresh tokens, API tokens, forged tokens, disabled users and the audit log, against a real
 * server whose auth clock the spec moves.
 */
class AuthSpec extends ServerSpecification {
    static final String JOBFILE = "job('j') {\n  task('t') { sh 'true' }\n}\n"
    static final String PW = 'a-long-enough-password'

    @Shared MutableClock clock = new MutableClock(Instant.now())

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config), Clock.systemDefaultZone(), clock)
    }

    Http anon() {
        http.anonymous()
    }

    Map login(String user, String password = PW) {
        def r = anon().post('/login', [username: user, password: password])
        assert r.status == 200, r.text
        r.json
    }

    void user(String name, String role) {
        def r = http.post('/users', [username: name, password: PW, role: role])
        assert r.status == 201, r.text
    }

    def "a login answers an HS256 access token for 15 minutes, a refresh token, and the token in a header"() {
        when:
        def r = anon().post('/login', [username: 'admin', password: Http.ADMIN_PASSWORD])

        then:
        r.status == 200
        r.json.keySet() == ['token', 'refreshToken', 'expiresIn'] as Set
        r.json.expiresIn == 900
        r.header('Authorization') == 'Bearer ' + r.json.token
        Jwts.header(r.json.token).alg == 'HS256'
        with(Jwts.claims(r.json.token)) {
            sub == 'admin'
            role == 'admin'
            exp - iat == 900
            jti instanceof String
        }

        and: 'the token works as a bearer token, and /me adds the projects the caller is a member of'
        def me = anon().withToken(r.json.token).get('/me').json
        me.findAll { k, v -> k != 'memberOf' } == anon().withToken(r.json.token).get('/users/admin').json
        me.memberOf == (http.get('/projects').json*.name.findAll {
            http.get("/projects/$it/members").json.members.contains('admin') } as List).sort()
        anon().withToken(r.json.token).get('/me').json.username == 'admin'
    }

    def "the signing key file is made with mode 0600"() {
        expect:
        Files.getPosixFilePermissions(dataDir.resolve('jwt.key')) ==
                [PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE] as Set
    }

    def "a wrong password, an unknown user and a disabled user all get the same 401 'invalid credentials'"() {
        given:
        user('off', 'viewer')
        http.post('/users/off/disable')

        expect:
        [[username: 'admin', password: 'not-the-password'], [username: 'nobody', password: PW],
         [username: 'off', password: PW]].each { body ->
            def r = anon().post('/login', body)
            assert r.status == 401
            assert r.json.error == 'unauthorized'
            assert r.json.message == 'invalid credentials'
            assert r.header('WWW-Authenticate').startsWith('Bearer')
        }
    }

    def "a login with missing fields is a 400 naming the field"() {
        expect:
        def r = anon().post('/login', body)
        r.status == 400
        r.json.message.contains(field)

        where:
        body                          | field
        [username: 'admin']           | 'password'
        [password: 'x' * 12]          | 'username'
        [username: 'admin', pw: 'x']  | 'pw'
        [username: 5, password: 'x']  | 'username'
    }

    def "requests without a token, or with garbage, are 401 with WWW-Authenticate: Bearer"() {
        expect:
        def r = call(anon())
        r.status == 401
        r.header('WWW-Authenticate').startsWith('Bearer')
        r.json.error == 'unauthorized'

        where:
        call << [{ Http h -> h.get('/projects') }, { Http h -> h.post('/projects', [name: 'x', jobfile: JOBFILE]) },
                 { Http h -> h.get('/version') }, { Http h -> h.get('/runs/abc/log') },
                 { Http h -> h.withToken('garbage').get('/projects') }, { Http h -> h.withToken('stk_nope').get('/projects') },
                 { Http h -> h.get('/projects', [Authorization: 'Basic YWRtaW46eA==']) }]
    }

    def "health, the OpenAPI document and webhooks need no token"() {
        expect:
        anon().get('/healthz').status == 200
        anon().get('/openapi.json').status == 200
        def hook = anon().postRaw('/hooks/github', '{}'.bytes, ['X-GitHub-Event': 'push', 'content-type': 'application/json'])
        !hook.json.message?.contains('bearer token')
    }

    def "an access token stops working after 15 minutes; a refresh then gives a new one"() {
        given:
        def t = login('admin', Http.ADMIN_PASSWORD)
        def h = anon().withToken(t.token)
        assert h.get('/me').status == 200

        when:
        clock.advance(Duration.ofMinutes(14))

        then:
        h.get('/me').status == 200

        when:
        clock.advance(Duration.ofMinutes(1).plusSeconds(1))
        def expired = h.get('/me')

        then:
        expired.status == 401
        expired.header('WWW-Authenticate').startsWith('Bearer')

        when:
        def r = anon().post('/token/refresh', [refreshToken: t.refreshToken])

        then:
        r.status == 200
        r.json.expiresIn == 900
        anon().withToken(r.json.token).get('/me').status == 200
        r.json.refreshToken != t.refreshToken
    }

    def "a refresh token is single use: using a used one again revokes its whole login"() {
        given:
        def first = login('admin', Http.ADMIN_PASSWORD)
        def second = anon().post('/token/refresh', [refreshToken: first.refreshToken]).json
        def other = login('admin', Http.ADMIN_PASSWORD)
        assert anon().withToken(first.token).get('/me').status == 200

        when: 'the first refresh token is presented again (it was copied)'
        def reuse = anon().post('/token/refresh', [refreshToken: first.refreshToken])

        then:
        reuse.status == 401

        and: 'the legitimate successor is revoked too'
        anon().post('/token/refresh', [refreshToken: second.refreshToken]).status == 401

        and: 'so are the access tokens of that login, the first and the one the refresh gave; another login keeps working'
        anon().withToken(first.token).get('/me').status == 401
        anon().withToken(second.token).get('/me').json.message.contains('its refresh token was used twice')
        anon().withToken(other.token).get('/me').status == 200

        and: 'unknown and missing refresh tokens are refused'
        anon().post('/token/refresh', [refreshToken: 'stkr_nope']).status == 401
        anon().post('/token/refresh', [:]).status == 400
    }

    def "a refresh token expires after 30 days"() {
        given:
        def t = login('admin', Http.ADMIN_PASSWORD)

        when:
        clock.advance(Duration.ofDays(30).plusSeconds(1))

        then:
        anon().post('/token/refresh', [refreshToken: t.refreshToken]).status == 401
    }

    def "logout ends the access token and revokes the refresh token"() {
        given:
        def t = login('admin', Http.ADMIN_PASSWORD)
        def h = anon().withToken(t.token)

        when:
        def out = h.post('/logout', [refreshToken: t.refreshToken])

        then:
        out.status == 204
        h.get('/me').status == 401
        anon().post('/token/refresh', [refreshToken: t.refreshToken]).status == 401
    }

    def "forged tokens are refused: alg none, another key, RS/HS confusion, another HMAC, tampered claims"() {
        given:
        def real = login('admin', Http.ADMIN_PASSWORD).token
        byte[] key = dataDir.resolve('jwt.key').text.trim().getBytes(StandardCharsets.UTF_8)
        long now = clock.instant().epochSecond
        Map claims = [iss: 'stoker', sub: 'admin', role: 'admin', iat: now, exp: now + 600, jti: UUID.randomUUID().toString()]
        byte[] otherKey = new byte[32]
        new Random(7).nextBytes(otherKey)
        String[] parts = real.split('\\.')
        Map realClaims = Jwts.claims(real)

        expect: 'the forging works: the same claims signed with the real key pass'
        anon().withToken(Jwts.hmac([alg: 'HS256', typ: 'JWT'], claims, key)).get('/me').status == 200

        and:
        [Jwts.unsigned(claims),
         Jwts.unsigned(claims) + parts[2],
         Jwts.hmac([alg: 'HS256', typ: 'JWT'], claims, otherKey),
         Jwts.hmac([alg: 'RS256', typ: 'JWT'], claims, key),
         Jwts.hmac([alg: 'HS512', typ: 'JWT'], claims, key, 'HmacSHA512'),
         Jwts.b64([alg: 'HS256', typ: 'JWT']) + '.' + Jwts.b64(realClaims + [sub: 'someone']) + '.' + parts[2],
         Jwts.b64([alg: 'HS256', typ: 'JWT']) + '.' + Jwts.b64(realClaims + [exp: now + 99_999]) + '.' + parts[2],
         Jwts.hmac([alg: 'HS256', typ: 'JWT'], claims + [iss: 'elsewhere'], key),
         Jwts.hmac([alg: 'HS256', typ: 'JWT'], claims + [exp: now - 1], key),
         Jwts.hmac([alg: 'HS256', typ: 'JWT'], claims.findAll { it.key != 'exp' }, key),
         Jwts.hmac([alg: 'HS256', typ: 'JWT'], claims + [sub: 'nobody'], key),
         parts[0] + '.' + parts[1],
        ].every { forged ->
            def r = anon().withToken(forged).get('/me')
            assert r.status == 401, forged
            true
        }
    }

    def "a disabled user's tokens stop working at once, and work again when enabled"() {
        given:
        user('dora', 'developer')
        def jwt = anon().withToken(login('dora').token)
        def api = Http.loggedIn(server.url(), 'dora', PW)
        assert jwt.get('/me').status == 200
        assert api.get('/me').status == 200

        when:
        assert http.post('/users/dora/disable').json.enabled == false

        then:
        jwt.get('/me').status == 401
        api.get('/me').status == 401

        when:
        http.post('/users/dora/enable')

        then:
        api.get('/me').status == 200
    }

    def "a deleted user's tokens stop working, and a changed password ends old sessions"() {
        given:
        user('gone', 'viewer')
        user('pat', 'viewer')
        def goneApi = Http.loggedIn(server.url(), 'gone', PW)
        def patTokens = login('pat')
        def pat = anon().withToken(patTokens.token)

        when:
        assert http.delete('/users/gone').status == 204
        clock.advance(Duration.ofSeconds(1))
        def change = pat.put('/users/pat/password', [oldPassword: PW, password: 'another-long-password'])

        then:
        goneApi.get('/me').status == 401
        change.status == 204
        pat.get('/me').status == 401
        anon().post('/token/refresh', [refreshToken: patTokens.refreshToken]).status == 401
        anon().post('/login', [username: 'pat', password: PW]).status == 401
        anon().withToken(login('pat', 'another-long-password').token).get('/me').status == 200
    }

    def "a password change ends the access tokens issued earlier in its own second, not one issued after it"() {
        given: 'a token issued at the start of a second, and the clock still in that second at the change'
        user('quick', 'viewer')
        clock.set(Instant.ofEpochSecond(clock.instant().epochSecond + 1).plusMillis(100))
        def before = anon().withToken(login('quick').token)
        assert before.get('/me').status == 200
        clock.advance(Duration.ofMillis(300))

        when:
        def change = before.put('/users/quick/password', [oldPassword: PW, password: 'quick-new-password'])

        then: 'the earlier token is refused though its whole-second iat equals the change\'s second'
        change.status == 204
        before.get('/me').json.message == 'the token was issued before the password changed'

        and: 'a token issued after the change, in the very same millisecond, works'
        anon().withToken(login('quick', 'quick-new-password').token).get('/me').status == 200

        and: 'an admin\'s reset ends them the same way'
        clock.advance(Duration.ofMillis(200))
        def beforeReset = anon().withToken(login('quick', 'quick-new-password').token)
        clock.advance(Duration.ofMillis(300))
        http.put('/users/quick/password', [password: 'quick-reset-password']).status == 204
        beforeReset.get('/me').status == 401
        anon().withToken(login('quick', 'quick-reset-password').token).get('/me').status == 200
    }

    def "named API tokens: shown once, listed without their value, usable as bearer, revocable, expiring"() {
        given:
        def created = http.post('/tokens', [name: 'ci@box', expiresInDays: 2])

        expect:
        created.status == 201
        created.json.token.startsWith('stk_')
        created.json.expiresAt != null
        http.post('/tokens', [name: 'ci@box']).status == 409
        http.post('/tokens', [name: '../x']).status == 400
        http.post('/tokens', [name: 'y', expiresInDays: 0]).status == 400
        http.post('/tokens', [name: 'y', expiresInDays: 'soon']).status == 400

        when:
        def h = anon().withToken(created.json.token)
        def me = h.get('/me')
        def listed = http.get('/tokens').json.find { it.name == 'ci@box' }

        then:
        me.json.username == 'admin'
        listed.lastUsedAt != null
        listed.createdAt == created.json.createdAt // to the microsecond, as stored, in both answers
        listed.expiresAt == created.json.expiresAt
        !http.get('/tokens').text.contains(created.json.token)
        !listed.containsKey('token')
        with(http.get('/tokens?user=nobody')) {
            status == 404
            json.message == "no user 'nobody'"
        }

        when: 'two days later it has expired'
        clock.advance(Duration.ofDays(2).plusSeconds(1))

        then:
        h.get('/me').status == 401

        when:
        def t2 = http.post('/tokens', [name: 'short']).json
        def revoke = http.delete('/tokens/short')

        then:
        revoke.status == 204
        anon().withToken(t2.token).get('/me').status == 401
        http.delete('/tokens/short').status == 404
    }

    def "a token's last use is stamped at most once a minute, so its requests do not each write"() {
        given:
        def token = http.post('/tokens', [name: 'poller']).json.token
        def h = anon().withToken(token)
        def lastUsed = { -> http.get('/tokens').json.find { it.name == 'poller' }.lastUsedAt }

        when: 'the first use is stamped'
        h.get('/me')
        def first = lastUsed()

        and: 'uses within the minute leave the stamp as it is'
        clock.advance(Duration.ofSeconds(30))
        h.get('/me')
        clock.advance(Duration.ofSeconds(29))
        h.get('/me')

        then:
        first != null
        lastUsed() == first

        when: 'a use after the minute is stamped again'
        clock.advance(Duration.ofSeconds(2))
        h.get('/me')

        then:
        Instant.parse(lastUsed()) == Instant.parse(first).plusSeconds(61)
    }

    def "admins list and revoke other people's tokens; others may not"() {
        given:
        user('tina', 'viewer')
        def tina = Http.loggedIn(server.url(), 'tina', PW)
        tina.post('/tokens', [name: 'laptop'])

        expect:
        http.get('/tokens?user=tina').json*.name.contains('laptop')
        tina.get('/tokens').json*.name.contains('laptop')
        http.get('/tokens?user=').json.message == "'user' is empty"
        tina.get('/tokens?user=admin').status == 403
        tina.delete('/tokens/laptop?user=admin').status == 403
        http.delete('/tokens/laptop?user=tina').status == 204
        !tina.get('/tokens').json*.name.contains('laptop')
    }

    def "a token limited to the viewer role reads, changes nothing and cannot make a stronger token"() {
        given: 'a developer with a project of their own, and a read-only token for a dashboard'
        user('lena', 'developer')
        def lena = Http.loggedIn(server.url(), 'lena', PW)
        assert lena.post('/projects', [name: 'lenas', jobfile: JOBFILE]).status == 201
        def created = lena.post('/tokens', [name: 'dash', role: 'viewer'])
        def dash = anon().withToken(created.json.token)

        expect: 'the limit is shown, audited, and may not exceed the role of its maker'
        created.status == 201
        created.json.role == 'viewer'
        lena.get('/tokens').json.find { it.name == 'dash' }.role == 'viewer'
        lena.post('/tokens', [name: 'plain']).json.role == null
        http.get('/audit?action=token.created').json.find { it.target == 'lena/dash' }.detail.role == 'viewer'
        with(lena.post('/tokens', [name: 'boss', role: 'admin'])) {
            status == 400
            json.message == "'role' may be at most your own role, developer, not admin"
        }
        lena.post('/tokens', [name: 'boss', role: 'root']).status == 400

        and: 'it reads what a viewer reads, and writes nothing a viewer may not; /me says the role it acts with'
        dash.get('/me').json.role == 'viewer'
        lena.get('/me').json.role == 'developer'
        dash.get('/projects/lenas').status == 200
        dash.get('/runs').status == 200
        with(dash.post('/projects/lenas/jobs/j/runs', [:])) {
            status == 403
            json.message == 'this needs the developer role'
        }
        dash.delete('/projects/lenas').status == 403

        and: 'it cannot make or revoke tokens, change the password or log its user out'
        with(dash.post('/tokens', [name: 'escalated'])) {
            status == 403
            json.message == 'a token limited to the viewer role cannot make tokens'
        }
        dash.post('/tokens', [name: 'escalated', role: 'viewer']).status == 403
        dash.delete('/tokens/plain').status == 403
        dash.put('/users/lena/password', [oldPassword: PW, password: 'another-long-password']).status == 403
        dash.post('/logout').status == 403
        lena.get('/tokens').json*.name.containsAll(['dash', 'plain'])
        lena.get('/me').status == 200

        when: 'its user is made an admin, the limit stays'
        http.put('/users/lena/role', [role: 'admin'])

        then:
        lena.get('/users').status == 200
        dash.get('/users').status == 403
        dash.post('/projects/lenas/jobs/j/runs', [:]).status == 403

        cleanup: 'admin stays the last admin for the features after this one'
        http.delete('/users/lena')
    }

    def "a limited token acts with its user's role when that is lower: a demotion reaches it at once"() {
        given:
        user('mo', 'developer')
        def mo = Http.loggedIn(server.url(), 'mo', PW)
        assert mo.post('/projects', [name: 'mos', jobfile: JOBFILE]).status == 201
        def bot = anon().withToken(mo.post('/tokens', [name: 'bot', role: 'developer']).json.token)
        assert bot.post('/projects/mos/jobs/j/runs', [:]).status == 201
        assert bot.get('/me').json.role == 'developer'

        when:
        assert http.put('/users/mo/role', [role: 'viewer']).status == 200

        then: 'refused for its role, not for anything else (mo is still a member of the project)'
        bot.get('/me').json.role == 'viewer'
        with(bot.post('/projects/mos/jobs/j/runs', [:])) {
            status == 403
            json.message == 'this needs the developer role'
        }
        http.get('/projects/mos/members').json.members.contains('mo')
        bot.get('/projects/mos').status == 200
    }

    def "people management: clear 400s, no hashes, the last admin stays, roles change at once"() {
        expect:
        http.post('/users', [username: 'short', password: 'x' * 11, role: 'viewer']).json.message.contains('at least 12')
        http.post('/users', [username: 'Bad Name', password: PW, role: 'viewer']).status == 400
        http.post('/users', [username: 'ok', password: PW, role: 'boss']).json.message.contains("'role'")
        http.post('/users', [username: 'ok', password: PW]).status == 400
        http.post('/users', [username: 'admin', password: PW, role: 'viewer']).status == 409
        !http.get('/users').text.contains('argon2')
        http.get('/users').json.find { it.username == 'admin' } == [username: 'admin', role: 'admin', enabled: true,
                                                                      createdAt: http.get('/users/admin').json.createdAt]
        http.delete('/users/admin').status == 409
        http.post('/users/admin/disable').status == 409
        http.put('/users/admin/role', [role: 'viewer']).status == 409
        http.get('/users/nobody').status == 404

        when:
        user('rick', 'viewer')
        def rick = Http.loggedIn(server.url(), 'rick', PW)
        assert rick.post('/projects', [name: 'ricks', jobfile: JOBFILE]).status == 403
        def promoted = http.put('/users/rick/role', [role: 'developer'])

        then:
        promoted.json.role == 'developer'
        rick.post('/projects', [name: 'ricks', jobfile: JOBFILE]).status == 201
        rick.get('/projects/ricks/members').json.members == ['rick']
        rick.get('/users/rick').status == 200
        rick.get('/users/admin').status == 403
        rick.put('/users/rick/password', [password: 'new-long-password']).status == 400
        rick.put('/users/rick/password', [oldPassword: 'wrong', password: 'new-long-password']).status == 400
        rick.put('/users/admin/password', [password: 'new-long-password']).status == 403
        http.put('/users/rick/password', [password: 'x']).json.message.contains('at least 12')
    }

    def "a password of whitespace, or mostly of it, is refused wherever one is set, in a sentence naming the field"() {
        given:
        user('wanda', 'viewer')
        def wanda = Http.loggedIn(server.url(), 'wanda', PW)
        def blank = "'password' must not be blank or only whitespace"
        def sparse = "'password' must be at least 12 characters long, not counting whitespace"

        expect: 'a new user, a password an admin sets, a password of your own'
        with(http.post('/users', [username: 'blanche', password: ' ' * 12, role: 'viewer'])) {
            status == 400
            json.message == blank
        }
        http.post('/users', [username: 'blanche', password: 'ab' + ' ' * 20, role: 'viewer']).json.message == sparse
        http.get('/users/blanche').status == 404
        with(http.put('/users/wanda/password', [password: '\t \n' * 6])) {
            status == 400
            json.message == blank
        }
        with(wanda.put('/users/wanda/password', [oldPassword: PW, password: ' ' * 12])) {
            status == 400
            json.message == blank
        }
        wanda.put('/users/wanda/password', [oldPassword: PW, password: ' x ' * 11]).json.message == sparse

        and: 'the password stands unchanged'
        anon().post('/login', [username: 'wanda', password: PW]).status == 200
    }

    def "the audit log records logins, tokens, user and membership changes, newest first, for admins only"() {
        given:
        anon().post('/login', [username: 'admin', password: 'wrong-password!'])
        user('audrey', 'developer')
        http.post('/users/audrey/disable')
        http.post('/tokens', [name: 'audited'])

        when:
        def all = http.get('/audit?limit=1000').json
        def failed = http.get('/audit?action=login.failed').json
        def logins = http.get('/audit?action=login').json

        then:
        all*.id == all*.id.sort().reverse()
        failed.every { it.action == 'login.failed' }
        logins*.action as Set == ['login.ok', 'login.failed'] as Set // a family: the action's first part
        http.get('/audit?action=log').json == []
        failed[0].target == 'admin'
        failed[0].actor == '-'
        failed[0].detail.address == '127.0.0.1'
        all.find { it.action == 'user.created' && it.target == 'audrey' }.actor == 'admin'
        all.find { it.action == 'user.created' && it.target == 'audrey' }.detail.role == 'developer'
        all.any { it.action == 'user.disabled' && it.target == 'audrey' }
        all.any { it.action == 'token.created' && it.target == 'admin/audited' }
        all.any { it.action == 'login.ok' }
        all.any { it.action == 'user.created' && it.target == 'admin' && it.detail.reason == 'first start' }
        http.get('/audit?actor=nobody-at-all').json == []
        http.get('/audit?limit=0').status == 400
        !http.get('/audit?limit=1000').text.contains(PW)
    }

    def "the audit log is filtered by target: a user with their tokens, a project with its memberships"() {
        given:
        user('olga', 'developer')
        def olga = Http.loggedIn(server.url(), 'olga', PW)
        olga.post('/tokens', [name: 'ci'])
        user('olga2', 'viewer')
        assert http.post('/projects', [name: 'olgas', jobfile: JOBFILE]).status == 201
        http.put('/projects/olgas/members/olga', null)

        when:
        def aboutOlga = http.get('/audit?target=olga&limit=1000').json
        def aboutProject = http.get('/audit?target=olgas&limit=1000').json

        then: 'the user, her token; not another user whose name starts alike'
        aboutOlga*.target.every { it == 'olga' || it.startsWith('olga/') } // her logins' tokens too
        aboutOlga*.target.containsAll(['olga', 'olga/ci'])
        aboutOlga*.action.containsAll(['user.created', 'login.ok', 'token.created'])
        aboutProject*.target as Set == ['olgas', 'olgas/admin', 'olgas/olga'] as Set
        http.get('/audit?target=olga&action=token').json.every { it.action == 'token.created' && it.target.startsWith('olga/') }
        http.get('/audit?target=olga&action=token').json*.target.contains('olga/ci')
        http.get('/audit?target=nobody-at-all').json == []

        and: 'an empty filter is refused, not taken as "none"'
        with(http.get('/audit?target=')) {
            status == 400
            json.message == "'target' is empty"
        }
        http.get('/audit?action=').json.message == "'action' is empty"
        http.get('/audit?actor=').json.message == "'actor' is empty"
    }
}
