package io.stoker.server.auth

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.Shared

/**
 * A refusal for a role too small names the role the operation needs, as the OpenAPI document's x-stoker-role does:
 * a viewer disabling a user is told it needs the admin role, not the developer role that would not be enough either.
 */
class RoleRefusalsSpec extends ServerSpecification {
    static final String PW = 'a-long-enough-password'

    @Shared Http viewer

    def setupSpec() {
        assert http.post('/users', [username: 'view1', password: PW, role: 'viewer']).status == 201
        viewer = Http.loggedIn(server.url(), 'view1', PW)
    }

    /** Every documented write a viewer may not make, with the role its x-stoker-role names first. */
    List<List> writes() {
        http.get('/openapi.json').json.paths.collectMany { String path, Map ops ->
            ops.findAll { m, op -> m in ['post', 'put', 'delete', 'patch'] }.collect { String m, Map op ->
                [m.toUpperCase(), path, (op.'x-stoker-role' ?: '').find(/^\w+/)]
            }
        }.findAll { it[2] in ['developer', 'admin'] }
    }

    def "a viewer disabling a user is told the admin role is needed"() {
        when:
        def r = viewer.post('/users/view1/disable', null)

        then:
        r.status == 403
        r.json.message == 'this needs the admin role'
        r.json.details == ['role: viewer']
    }

    def "every write a viewer is refused names the role its x-stoker-role gives"() {
        given:
        def writes = writes()
        assert writes.size() > 30

        expect: 'a global secret, named without ?project=, is an admin write'
        writes.every { String method, String template, String role ->
            String path = template.replaceAll(/\{[^}]+}/, 'x')
            def r = method == 'DELETE' ? viewer.delete(path) : method == 'PUT' ? viewer.put(path, [:]) : viewer.post(path, [:])
            assert r.status == 403: "$method $path: $r.status $r.text"
            assert r.json.message == "this needs the $role role": "$method $path"
            true
        }
    }

    def "a viewer's write to a project's secret needs the developer role, to a global one the admin role"() {
        expect:
        viewer.post('/secrets', [name: 'S', value: 'v', project: 'p']).json.message == 'this needs the developer role'
        viewer.put('/secrets/S?project=p', [value: 'v']).json.message == 'this needs the developer role'
        viewer.delete('/secrets/S?project=p').json.message == 'this needs the developer role'
        viewer.post('/secrets', [name: 'S', value: 'v']).json.message == 'this needs the admin role'
    }
}
