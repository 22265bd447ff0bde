package io.stoker.server.auth

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.Shared

/**
 * The role matrix over representative routes: viewers read, developers change the projects they are members of,
 * admins do anything; users and the audit log are for admins.
 */
class RolesSpec extends ServerSpecification {
    static final String JOBFILE = "job('j') {\n  task('t') { sh 'true' }\n}\n"
    static final String PW = 'a-long-enough-password'

    @Shared Http viewer
    @Shared Http dev
    @Shared Http outsider
    @Shared String mineRun
    @Shared String theirsRun

    def setupSpec() {
        ['vera': 'viewer', 'dev': 'developer', 'otto': 'developer'].each { name, role ->
            assert http.post('/users', [username: name, password: PW, role: role]).status == 201
        }
        viewer = Http.loggedIn(server.url(), 'vera', PW)
        dev = Http.loggedIn(server.url(), 'dev', PW)
        outsider = Http.loggedIn(server.url(), 'otto', PW)
        assert dev.post('/projects', [name: 'mine', jobfile: JOBFILE]).status == 201
        freestyle('theirs', JOBFILE)
        mineRun = trigger('mine', 'j')
        theirsRun = trigger('theirs', 'j')
        awaitEnd(mineRun)
        awaitEnd(theirsRun)
    }

    def "#who: #method #path → #status"() {
        expect:
        def caller = [viewer: viewer, developer: dev, admin: http][who]
        def p = path.replace('MINE_RUN', mineRun).replace('THEIRS_RUN', theirsRun)
        def r = method == 'GET' ? caller.get(p) : method == 'DELETE' ? caller.delete(p)
                : method == 'PUT' ? caller.put(p, body) : caller.post(p, body)
        r.status == status
        r.status < 400 || r.json.error

        where:
        who         | method   | path                                | body                               || status
        'viewer'    | 'GET'    | '/projects'                         | null                               || 200
        'viewer'    | 'GET'    | '/runs'                             | null                               || 200
        'viewer'    | 'GET'    | '/runs/MINE_RUN'                    | null                               || 200
        'viewer'    | 'GET'    | '/runs/MINE_RUN/log'                | null                               || 200
        'viewer'    | 'GET'    | '/projects/theirs/members'          | null                               || 200
        'viewer'    | 'GET'    | '/me'                               | null                               || 200
        'viewer'    | 'POST'   | '/projects'                         | [name: 'v', jobfile: JOBFILE]      || 403
        'viewer'    | 'POST'   | '/projects/mine/jobs/j/runs'        | [:]                                || 403
        'viewer'    | 'DELETE' | '/runs/MINE_RUN'                    | null                               || 403
        'viewer'    | 'POST'   | '/projects/mine/refresh'            | null                               || 403
        'viewer'    | 'GET'    | '/users'                            | null                               || 403
        'viewer'    | 'GET'    | '/audit'                            | null                               || 403
        'viewer'    | 'POST'   | '/tokens'                           | [name: 'vt']                       || 201
        'developer' | 'POST'   | '/projects/mine/jobs/j/runs'        | [:]                                || 201
        'developer' | 'POST'   | '/runs/MINE_RUN/rerun'              | null                               || 201
        'developer' | 'POST'   | '/projects/mine/refresh'            | null                               || 200
        'developer' | 'PUT'    | '/projects/mine'                    | [jobfile: JOBFILE]                 || 200
        'developer' | 'POST'   | '/projects/theirs/jobs/j/runs'      | [:]                                || 403
        'developer' | 'POST'   | '/runs/THEIRS_RUN/rerun'            | null                               || 403
        'developer' | 'DELETE' | '/runs/THEIRS_RUN'                  | null                               || 403
        'developer' | 'POST'   | '/projects/theirs/refresh'          | null                               || 403
        'developer' | 'DELETE' | '/projects/theirs'                  | null                               || 403
        'developer' | 'PUT'    | '/projects/theirs/members/dev'      | null                               || 403
        'developer' | 'POST'   | '/projects/nope/refresh'            | null                               || 404
        'developer' | 'DELETE' | '/runs/aaaaaaaaaaaaaaaaaaaa'        | null                               || 404
        'developer' | 'GET'    | '/users'                            | null                               || 403
        'developer' | 'POST'   | '/users'                            | [username: 'x', password: PW, role: 'admin'] || 403
        'developer' | 'PUT'    | '/users/dev/role'                   | [role: 'admin']                    || 403
        'developer' | 'GET'    | '/audit'                            | null                               || 403
        'admin'     | 'POST'   | '/projects/mine/jobs/j/runs'        | [:]                                || 201
        'admin'     | 'POST'   | '/projects/theirs/refresh'          | null                               || 200
        'admin'     | 'GET'    | '/users'                            | null                               || 200
        'admin'     | 'GET'    | '/audit'                            | null                               || 200
    }

    def "members add members; the added developer may then change the project, until removed"() {
        when:
        def add = dev.put('/projects/mine/members/otto', null)

        then:
        add.status == 200
        add.json.members == ['dev', 'otto']
        outsider.post('/projects/mine/jobs/j/runs', [:]).status == 201

        when:
        def remove = dev.delete('/projects/mine/members/otto')

        then:
        remove.json.members == ['dev']
        outsider.post('/projects/mine/jobs/j/runs', [:]).status == 403
        dev.put('/projects/mine/members/nobody', null).status == 404
        dev.delete('/projects/mine/members/otto').status == 404
        http.get('/audit?action=member.added').json.any { it.target == 'mine/otto' && it.actor == 'dev' }
        http.get('/audit?action=member.removed').json.any { it.target == 'mine/otto' }
    }

    def "a project made again under a deleted project's name starts without the old members"() {
        given:
        assert dev.post('/projects', [name: 'reborn', jobfile: JOBFILE]).status == 201
        assert dev.delete('/projects/reborn').status == 204

        when:
        assert http.post('/projects', [name: 'reborn', jobfile: JOBFILE]).status == 201

        then:
        http.get('/projects/reborn/members').json.members == ['admin']
        dev.post('/projects/reborn/refresh').status == 403
    }
}
