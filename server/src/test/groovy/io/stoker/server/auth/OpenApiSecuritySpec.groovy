package io.stoker.server.auth

import io.stoker.server.ServerSpecification

/** The OpenAPI document tells the truth about security: which operations are open, and which need a bearer token. */
class OpenApiSecuritySpec extends ServerSpecification {
    static final Set<String> OPEN = ['GET /healthz', 'GET /openapi.json', 'POST /login', 'POST /token/refresh',
                                     'POST /hooks/github', 'POST /hooks/gitlab', 'POST /hooks/gitea', 'POST /hooks/bitbucket',
                                     'POST /hooks/generic/{project}/{job}'] as Set

    Map doc() {
        http.get('/openapi.json').json
    }

    List<List> operations() {
        doc().paths.collectMany { String path, Map ops ->
            ops.findAll { k, v -> k != 'servers' }.collect { String m, Map op -> [m.toUpperCase(), path, op] }
        }
    }

    def "the bearer scheme is declared and required by default"() {
        expect:
        doc().components.securitySchemes.bearer == doc().components.securitySchemes.bearer + [type: 'http', scheme: 'bearer']
        doc().security == [[bearer: []]]
    }

    def "exactly the open operations opt out of security; the identity routes name their least role and their 401"() {
        given:
        def ops = operations()
        def identity = ['/logout', '/me', '/tokens', '/tokens/{name}', '/users', '/users/{name}', '/users/{name}/password',
                        '/users/{name}/disable', '/users/{name}/enable', '/users/{name}/role',
                        '/projects/{project}/members', '/projects/{project}/members/{user}', '/audit']

        expect:
        ops.findAll { it[2].security == [] }.collect { it[0] + ' ' + it[1] } as Set == OPEN
        identity.every { doc().paths.containsKey(it) }
        ops.findAll { it[1] in identity }.every {
            it[2].'x-stoker-role' ==~ /(viewer|developer|admin)\b.*/ && it[2].responses.containsKey('401')
        }
    }

    def "every operation that needs a token names the least role it needs"() {
        expect: 'a role, or for the pull agents\' dial-in the agent token'
        operations().findAll { it[2].security == null }.findAll {
            !(it[2].'x-stoker-role' ==~ /(viewer|developer|admin|agent token)\b.*/)
        }.collect { it[0] + ' ' + it[1] } == []

        and: 'a user is read by themself as a viewer, by anyone else as an admin, as the code enforces'
        doc().paths['/users/{name}'].get.'x-stoker-role' == 'viewer for oneself; admin for another user'
    }

    def "a badge of a project that is not public is a 404 without a token and a 401 with a bad one, both documented"() {
        given:
        freestyle('hidden', "job('build') { task('t') { sh 'true' } }")
        def responses = doc().paths['/projects/{project}/jobs/{job}/badge.svg'].get.responses

        expect:
        http.anonymous().get('/projects/hidden/jobs/build/badge.svg').status == 404
        new io.stoker.server.Http(http.base, 'stk_not-a-token').get('/projects/hidden/jobs/build/badge.svg').status == 401
        responses.keySet().containsAll(['404', '401'])
        responses['401'].description.startsWith('a token was sent and it is invalid or expired')
    }

    def "every operation the document says needs a token answers 401 without one, and documents that 401"() {
        given:
        def anon = http.anonymous()

        expect:
        // a token is optional only where the document lists an empty requirement (a public project's badge)
        operations().findAll { it[2].security == null }.every { String method, String path, Map op ->
            String p = path.replaceAll(/\{[^}]+\}/, 'x')
            def r = method == 'GET' ? anon.get(p) : method == 'DELETE' ? anon.delete(p)
                    : method == 'PUT' ? anon.put(p, [:]) : anon.post(p, [:])
            assert r.status == 401, "$method $path answered ${r.status} without a token"
            assert op.responses.containsKey('401'), "$method $path answers 401 without a token, which its document does not list"
            true
        }
    }

    def "the open operations answer without a token"() {
        given:
        def anon = http.anonymous()

        expect:
        anon.get('/healthz').status == 200
        anon.get('/openapi.json').status == 200
        anon.post('/login', [username: 'admin', password: 'wrong-password!']).json.message == 'invalid credentials'
        anon.post('/token/refresh', [refreshToken: 'x']).json.message.contains('refresh token')

        and: "only the POSTs under /hooks are open: another method there is told so, with no login asked for"
        with(anon.get('/hooks/github')) {
            status == 405
            header('allow') == 'POST'
            json.error == 'method not allowed'
        }
        anon.get('/hooks/secret').status == 401
        anon.post('/hooks/github', [:]).status != 401 || !anon.post('/hooks/github', [:]).json.message.contains('bearer')
    }
}
