package io.stoker.server.api

import io.stoker.server.ServerSpecification

/**
 * A refusal of one field's value names it in its details as {@code field: NAME}, first, as every other refusal of a
 * field does, so a client (a form, the CLI) can point at the field without reading the message's words. These were
 * the refusals whose details were empty, or said {@code NAME: hint}.
 */
class FieldRefusalsSpec extends ServerSpecification {

    def setupSpec() {
        freestyle('fields', "job('j') { task('t') { sh 'true' } }")
        freestyle('params', "job('j') {\n  parameters { choice 'level', choices: ['low', 'high'] }\n  task('t') { sh 'true' }\n}")
        freestyle('targets', "job('j') { task('t') { sh 'true' } }\ndeploy('blue') { run 'true' }\ndeploy('green') { run 'true' }")
    }

    def "#what is a 400 whose details start with 'field: #field'"() {
        when:
        def r = (anonymous ? http.anonymous() : http).raw(method, path, body.bytes, ['content-type': 'application/json'])

        then:
        r.status == 400
        r.json.message.startsWith("'$field'")
        r.json.details[0] == "field: $field"

        where:
        what                                   | method | path                                           | body                                     | anonymous | field
        'a project name that is not one'       | 'POST' | '/projects'                                    | '{"name": "x y", "jobfile": "x"}'        | false     | 'name'
        'an API token name that is not one'    | 'POST' | '/tokens'                                      | '{"name": ""}'                           | false     | 'name'
        'a login without its user name'        | 'POST' | '/login'                                       | '{"password": "correct-horse-battery"}'  | true      | 'username'
        'a login without its password'         | 'POST' | '/login'                                       | '{"username": "admin"}'                  | true      | 'password'
        'a refresh without its refresh token'  | 'POST' | '/token/refresh'                               | '{"refreshToken": ""}'                   | true      | 'refreshToken'
        'a check of no Jobfile'                | 'POST' | '/validate'                                    | '{}'                                     | false     | 'jobfile'
        'a public flag that is not a boolean'  | 'PUT'  | '/projects/fields/public'                      | '{"public": "yes"}'                      | false     | 'public'
        'a view without its filter'            | 'PUT'  | '/views/mine'                                  | '{}'                                     | false     | 'filter'
        'a version status left out'            | 'PUT'  | '/projects/fields/versions/1.0.0/status'       | '{}'                                     | false     | 'status'
        'a version status that is neither'     | 'PUT'  | '/projects/fields/versions/1.0.0/status'       | '{"status": "shiny"}'                    | false     | 'status'
        'a deployment of no version'           | 'POST' | '/projects/fields/deployments'                 | '{}'                                     | false     | 'version'
        'a deployment to an empty target'      | 'POST' | '/projects/fields/deployments'                 | '{"version": "1.0.0", "target": ""}'     | false     | 'target'
        'a rollback of an empty target'        | 'POST' | '/projects/targets/deployments/rollback'       | '{"target": ""}'                         | false     | 'target'
        'a download of no path'                | 'POST' | '/downloads'                                   | '{}'                                     | false     | 'path'
        'a Build-Shuttle build from no URL'    | 'POST' | '/shuttle/app/b1'                              | '{"source": {}}'                         | false     | 'source.url'
    }

    def "a rollback that names no target, of a project with several, names the field and then the targets"() {
        when:
        def r = http.post('/projects/targets/deployments/rollback', [:])

        then:
        r.status == 400
        r.json.message == "'target' is required: project 'targets' has 2 deploy targets"
        r.json.details == ['field: target', 'target: blue', 'target: green']
    }

    def "a #what to a target the Jobfile does not declare names the field and then the targets it has"() {
        when:
        def r = http.post(path, body)

        then:
        r.status == 422
        r.json.message == "project 'targets' has no deploy target 'purple'"
        r.json.details == ['field: target', 'target: blue', 'target: green']

        where:
        what         | path                                     | body
        'deployment' | '/projects/targets/deployments'          | [version: '1', target: 'purple']
        'rollback'   | '/projects/targets/deployments/rollback' | [target: 'purple']
    }

    def "an audit page from an id that is not one is a 400 naming 'before'"() {
        when:
        def r = http.get('/audit?before=xyz')

        then:
        r.status == 400
        r.json.details == ['field: before']
    }

    def "what to give instead follows the field's name, where the refusal says it"() {
        expect:
        http.raw('POST', '/validate', '{}'.bytes, ['content-type': 'application/json']).json.details ==
                ['field: jobfile', 'give the Jobfile text to check']
        http.put('/projects/fields/versions/1.0.0/status', [status: 'shiny']).json.details ==
                ['field: status', 'one of: good, bad']
    }

    def "an unknown or unfit trigger parameter is a 422 naming each as 'field: parameters.NAME', then what is wrong"() {
        given:
        int runs = http.get('/runs?project=params').json.total

        when:
        def unknown = http.post('/projects/params/jobs/j/runs', [parameters: [colour: 'red']])
        def both = http.post('/projects/params/jobs/j/runs', [parameters: [colour: 'red', level: 'medium']])

        then:
        unknown.status == 422
        unknown.json.message == 'invalid parameters'
        unknown.json.details == ['field: parameters.colour', "unknown parameter 'colour' (job 'j' has level)"]
        both.status == 422
        both.json.details == ['field: parameters.colour', 'field: parameters.level',
                              "unknown parameter 'colour' (job 'j' has level)",
                              "parameter 'level' must be one of low, high (got 'medium')"]

        and: 'neither started a run'
        http.get('/runs?project=params').json.total == runs
    }

    def "a secret of a project that does not exist is a 404 naming the field that named it"() {
        when:
        def created = http.post('/secrets', [name: 'TOKEN', value: 'correct-horse-battery', project: 'no-such-project'])
        def granted = http.post('/secrets', [name: 'GRANTED', value: 'correct-horse-battery', projects: ['no-such-project']])
        def listed = http.get('/secrets?project=no-such-project')

        then:
        [created, granted, listed].every { it.status == 404 && it.json.message == "no project 'no-such-project'" }
        created.json.details == ['field: project']
        granted.json.details == ['field: projects']
        listed.json.details == ['field: project']
    }

    def "a trigger that selects no task is a 400 naming 'tasks', not a run of every task"() {
        given:
        int runs = http.get('/runs?project=fields').json.total

        when:
        def r = http.post('/projects/fields/jobs/j/runs', [tasks: []])

        then:
        r.status == 400
        r.json.message == "'tasks' is empty"
        r.json.details == ['field: tasks', 'give the names of the tasks to run, or leave \'tasks\' out to run every task']

        and:
        http.get('/runs?project=fields').json.total == runs
    }
}
