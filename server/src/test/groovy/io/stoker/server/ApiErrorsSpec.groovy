package io.stoker.server

import io.stoker.engine.fixtures.ClosedPort

/** Every refusal is JSON {"error", "details"} with the right 4xx, never a 5xx or a stack trace. */
class ApiErrorsSpec extends ServerSpecification {

    static final String OK = '''
job('one') {
  parameters {
    choice 'level', choices: ['low', 'high']
  }
  task('t') { sh 'echo ${{ params.level }}' }
}
'''

    def setupSpec() {
        freestyle('errors', OK)
    }

    def "an invalid Jobfile is refused with 422 and its file:line:col diagnostics"() {
        when:
        def r = http.post('/projects', [name: 'broken', jobfile: "job('a') {\n  task('t') {\n    shh 'x'\n  }\n}\n"])

        then:
        r.status == 422
        r.json.error == 'unprocessable'
        r.json.details.any { it.startsWith('Jobfile:3:5: ') && it.contains("did you mean 'sh'") }
        http.get('/projects/broken').status == 404
    }

    def "an empty Jobfile is refused naming the field 'jobfile', on create and on replace"() {
        when:
        def created = http.post('/projects', [name: 'empty-jobfile', jobfile: text])
        def replaced = http.put('/projects/errors', [jobfile: text])

        then:
        [created, replaced].every {
            it.status == 400 && it.json.message == "'jobfile' is empty: give the Jobfile's text" &&
                    it.json.details == ['field: jobfile']
        }
        http.get('/projects/empty-jobfile').status == 404
        http.get('/projects/errors/jobs/one').status == 200

        where:
        text << ['', ' \n']
    }

    def "a YAML Jobfile's diagnostics name the file given"() {
        when:
        def r = http.post('/projects', [name: 'yaml', file: 'Jobfile.yaml', jobfile: "jobs:\n  a:\n    tasks:\n      t:\n        shh: x\n"])

        then:
        r.status == 422
        r.json.details.every { it.startsWith('Jobfile.yaml:') }
    }

    def "a YAML or JSON Jobfile posted without a file name is read as YAML or JSON, not as Groovy"() {
        when:
        def yaml = http.post('/projects', [name: 'bare-yaml', jobfile: "# CI\njobs:\n  a:\n    tasks:\n      t: {sh: echo hi}\n"])
        def json = http.post('/projects', [name: 'bare-json', jobfile: '{"jobs": {"b": {"tasks": {"t": {"sh": "echo hi"}}}}}'])
        def broken = http.post('/projects', [name: 'bare-bad', jobfile: "jobs:\n  a:\n    tasks:\n      t: {shh: x}\n"])

        then:
        yaml.status == 201
        yaml.json.file == 'Jobfile.yaml'
        json.status == 201
        json.json.file == 'Jobfile.json'
        http.get('/projects/bare-yaml/jobs/a').status == 200
        http.get('/projects/bare-json/jobs/b').status == 200

        and: 'its mistakes are told in the terms of YAML'
        broken.status == 422
        broken.json.details.any { it.startsWith('Jobfile.yaml:4:') && it.contains("did you mean 'sh'") }
    }

    def "names and a file name longer than the server stores are refused up front, never a 500"() {
        expect: 'a job name of 201 characters is a diagnostic at its line'
        with(http.post('/projects', [name: 'longjob', jobfile: "job('${'j' * 201}') { task('t') { sh 'true' } }\n".toString()])) {
            status == 422
            json.details.any { it.startsWith('Jobfile:1:1: job name ') && it.endsWith('is 201 characters long; at most 200') }
        }

        and: 'a file name of 256 characters names the field'
        with(http.post('/projects', [name: 'longfile', file: 'f' * 256, jobfile: OK])) {
            status == 400
            json.message.contains("'file'")
        }
        http.get('/projects/longjob').status == 404
        http.get('/projects/longfile').status == 404
    }

    def "a Jobfile's file is one of the four names the server reads, never a path or another name: #file"() {
        given:
        String yaml = "jobs:\n  a:\n    tasks:\n      t: {sh: echo hi}\n"

        when:
        def created = http.post('/projects', [name: 'named', jobfile: yaml, file: file])
        def replaced = http.put('/projects/errors', [jobfile: OK, file: file])
        def checked = http.post('/validate', [jobfile: yaml, file: file])

        then:
        [created, replaced, checked].every {
            it.status == 400 && it.json.message == "'file' must be one of Jobfile, Jobfile.yaml, Jobfile.yml, Jobfile.json, not '$file'" &&
                    it.json.details == ['field: file', 'it names the Jobfile\'s syntax; it is not a path']
        }
        http.get('/projects/named').status == 404
        http.get('/projects/errors').json.file == 'Jobfile'

        where:
        file << ['Jobfile.exe', '../../etc/passwd', 'ci/Jobfile.yaml', 'jobfile.yaml', '']
    }

    def "each of the four Jobfile names is taken and picks its syntax"() {
        expect:
        with(http.post('/projects', [name: "named-${file.replace('.', '-')}".toString(), jobfile: text, file: file])) {
            status == 201
            json.file == file
            json.jobs == ['a']
        }

        where:
        file           | text
        'Jobfile'      | "job('a') { task('t') { sh 'true' } }"
        'Jobfile.yaml' | "jobs:\n  a:\n    tasks:\n      t: {sh: 'true'}\n"
        'Jobfile.yml'  | "jobs:\n  a:\n    tasks:\n      t: {sh: 'true'}\n"
        'Jobfile.json' | '{"jobs": {"a": {"tasks": {"t": {"sh": "true"}}}}}'
    }

    def "a run can be triggered with no body at all"() {
        when:
        def r = http.post('/projects/errors/jobs/one/runs')

        then:
        r.status == 201
        r.json.status == 'queued'
    }

    def "an empty body where one is required is a 400 saying so, not one blaming a field: #verb #path"() {
        when:
        def r = verb == 'POST' ? http.post(path, body) : http.put(path, body)

        then:
        r.status == 400
        r.json.message == 'a JSON body is required'

        where:
        verb   | path                          | body
        'POST' | '/projects'                   | ''
        'POST' | '/projects'                   | null
        'POST' | '/tokens'                     | ''
        'POST' | '/users'                      | ''
        'PUT'  | '/projects/errors/trigger-access' | ''
    }

    def "a project name taken in another letter case is a 409 naming the field and the project that has it"() {
        when: 'Demo and demo would read as one project, and share a mirror on a case-insensitive file system'
        def first = http.post('/projects', [name: 'Case-Demo', jobfile: OK])
        def again = http.post('/projects', [name: 'case-demo', jobfile: OK])
        def same = http.post('/projects', [name: 'Case-Demo', jobfile: OK])

        then:
        first.status == 201
        again.status == 409
        again.json.error == 'exists'
        again.json.message == "a project named 'Case-Demo' exists already, and names that differ only in letter case are one name"
        again.json.details == ['field: name']
        same.status == 409
        same.json.message == "a project named 'Case-Demo' exists already"
        same.json.details == ['field: name']

        and: 'names are matched as written; a GET in the wrong case says which project there is'
        with(http.get('/projects/case-demo')) {
            status == 404
            json.message == "no project 'case-demo': did you mean 'Case-Demo'? Project names are matched as written"
        }
        http.get('/projects/no-such-one').json.message == "no project 'no-such-one'"
    }

    def "trigger access given one string is a 400 that shows the list to send, as the document has it"() {
        when:
        def r = http.put('/projects/errors/trigger-access', [from: '*'])

        then:
        r.status == 400
        r.json.message == '\'from\' must be a list of project names or \'*\', not a string: send {"from":["*"]}'
        r.json.details == ['field: from']
        http.put('/projects/errors/trigger-access', [from: ['*']]).json.from == ['*']
        http.put('/projects/errors/trigger-access', [from: []]).json.from == []
    }

    def "adding a member with a role in the body is refused naming it, not done with the role dropped"() {
        when:
        def withRole = http.put('/projects/errors/members/admin', [role: 'viewer'])

        then: 'a member has no role of its own: the user\'s role applies in every project'
        withRole.status == 400
        withRole.json.message == "unknown field 'role'"
        withRole.json.details[0] == 'field: role'
        withRole.json.details[1].contains('PUT /users/{name}/role')
        http.put('/projects/errors/members/admin', [:]).status == 200
        http.put('/projects/errors/members/admin', null).json.members.contains('admin')
        http.put('/projects/errors/members/admin', '[]').status == 400
    }

    def "a path the API lacks, or a method a path lacks, is said in words that name it: #verb #path"() {
        when:
        def r = http.method(verb, path)

        then:
        r.status == code
        r.json.message == message

        where:
        verb    | path             | code   | message
        'GET'   | '/no/such/route' | 404    | 'the API has no path /api/v1/no/such/route: /api/v1/openapi.json lists the paths it has'
        'PATCH' | '/projects'      | 405    | 'PATCH is not a method of /api/v1/projects: it takes GET, HEAD, POST, OPTIONS'
    }

    def "a refused field of a user or a token is named in the details, as every other refused field is: #body"() {
        when:
        def r = http.post(path, body)

        then:
        r.status == code
        r.json.details[0] == "field: $field"

        where:
        path      | body                                                                         | code | field
        '/users'  | [username: 'Upper', password: 'correct-horse-battery', role: 'viewer']       | 400  | 'username'
        '/users'  | [username: 'short-pw', password: 'short', role: 'viewer']                    | 400  | 'password'
        '/users'  | [username: 'no-role', password: 'correct-horse-battery']                     | 400  | 'role'
        '/users'  | [username: 'boss', password: 'correct-horse-battery', role: 'boss']          | 400  | 'role'
        '/users'  | [username: 'admin', password: 'correct-horse-battery', role: 'viewer']       | 409  | 'username'
        '/tokens' | [name: 'forever', expiresInDays: 99999]                                      | 400  | 'expiresInDays'
        '/tokens' | [name: 'half', expiresInDays: 1.5]                                           | 400  | 'expiresInDays'
        '/tokens' | [name: 'chief', role: 'chief']                                               | 400  | 'role'
    }

    def "a token's lifetime out of range says the range, however the number is written: #days"() {
        when:
        def r = http.post('/tokens', "{\"name\": \"life-$name\", \"expiresInDays\": $days}".toString())

        then:
        r.status == 400
        r.json.message == message
        r.json.details == ['field: expiresInDays']

        where:
        name    | days                       | message
        'huge'  | '1e10'                     | "'expiresInDays' must be from 1 to 3650, not 10000000000"
        'big'   | '99999999999999999999'     | "'expiresInDays' must be from 1 to 3650, not 99999999999999999999"
        'long'  | '1' + '0' * 40             | "'expiresInDays' must be from 1 to 3650, not 1.00E+40"
        'zero'  | '0'                        | "'expiresInDays' must be from 1 to 3650, not 0"
        'tiny'  | '0.5'                      | "'expiresInDays' must be from 1 to 3650, not 0.5"
        'half'  | '1.5'                      | "'expiresInDays' must be a whole number from 1 to 3650, not 1.5"
        'text'  | '"30"'                     | "'expiresInDays' must be a whole number from 1 to 3650, not a string"
    }

    def "a token's lifetime is a number, however JSON writes it: 1e1 days is 10"() {
        when:
        def r = http.post('/tokens', '{"name": "life-ten", "expiresInDays": 1e1}')

        then:
        r.status == 201
        java.time.Duration.between(java.time.Instant.parse(r.json.createdAt as String),
                java.time.Instant.parse(r.json.expiresAt as String)).toDays() == 10
    }

    def "a project's PUT may still leave its body out"() {
        expect:
        http.put('/projects/errors', '').status == 200
        http.put('/projects/errors', null).status == 200
    }

    def "a ref for a freestyle project is a 400 that says what a ref is, given or not by that name"() {
        when:
        def r = http.post('/projects/errors/jobs/one/runs', [ref: 'v1'])

        then:
        r.status == 400
        r.json.message == "a ref (branch, tag or commit) is only for git projects; 'errors' is freestyle"
    }

    def "a query parameter given twice is a 400 naming it, not the first value alone"() {
        when:
        def r = http.get(path)

        then:
        r.status == 400
        r.json.message == message
        r.json.details == [detail]

        where:
        path                                         | message                                                               | detail
        '/runs?status=failed&status=cancelled'       | "'status' is given 2 times: each query parameter takes one value"    | 'field: status'
        '/runs?project=errors&job=one&project=other' | "'project' is given 2 times: each query parameter takes one value"   | 'field: project'
    }

    def "a task's status given as a run's is refused, naming a run's statuses: #status"() {
        when: 'no run is ever pending or skipped: only its tasks are'
        def r = http.get("/runs?status=$status")

        then:
        r.status == 400
        r.json.message == "unknown status '$status'"
        r.json.details == ['field: status', 'one of: queued, running, succeeded, failed, timedout, cancelled']

        where:
        status << ['pending', 'skipped']
    }

    def "bad requests are JSON errors with the right status"() {
        expect:
        def r = call()
        r.status == status
        r.header('content-type').startsWith('application/json')
        r.json.error == error
        r.json.details instanceof List
        !r.text.contains('Exception')

        where:
        status | error                | call
        400    | 'bad request'        | { http.post('/projects', '{"name": ') }
        400    | 'bad request'        | { http.post('/projects', '[1, 2]') }
        400    | 'bad request'        | { http.post('/projects', [name: 5, jobfile: 'x']) }
        400    | 'bad request'        | { http.post('/projects', [name: 'x', jobfile: 'x', colour: 'red']) }
        400    | 'bad request'        | { http.post('/projects', [name: 'x']) }
        400    | 'bad request'        | { http.post('/projects', [name: '../etc', jobfile: 'x']) }
        400    | 'bad request'        | { http.post('/projects/errors/jobs/one/runs', [parameters: [level: [1]]]) }
        400    | 'bad request'        | { http.post('/projects/errors/jobs/one/runs', [parameters: 'low']) }
        400    | 'bad request'        | { http.get('/runs?status=sleeping') }
        400    | 'bad request'        | { http.get('/runs?page=0') }
        404    | 'not found'          | { http.get('/projects/nope') }
        404    | 'not found'          | { http.post('/projects/errors/jobs/nope/runs') }
        404    | 'not found'          | { http.post('/projects/nope/jobs/one/runs') }
        404    | 'not found'          | { http.get('/projects/errors/jobs/nope') }
        404    | 'not found'          | { http.post('/projects/nope/jobs/one/runs', [:]) }
        404    | 'not found'          | { http.post('/projects/errors/jobs/nope/runs', [:]) }
        404    | 'not found'          | { http.get('/runs/aaaaaaaaaaaaaaaaaaaaaaaaaa') }
        404    | 'not found'          | { http.get('/runs/not-a-key/log') }
        404    | 'not found'          | { http.delete('/runs/aaaaaaaaaaaaaaaaaaaaaaaaaa') }
        404    | 'not found'          | { http.get('/no/such/route') }
        405    | 'method not allowed' | { http.method('PATCH', '/projects') }
        409    | 'exists'             | { http.post('/projects', [name: 'errors', jobfile: OK]) }
        413    | 'too large'          | { http.post('/projects/errors/jobs/one/runs', ('x' * (2 << 20)).bytes) }
        422    | 'unprocessable'      | { http.post('/projects/errors/jobs/one/runs', [parameters: [level: 'medium']]) }
        422    | 'unprocessable'      | { http.post('/projects/errors/jobs/one/runs', [parameters: [colour: 'red']]) }
    }

    def "#method #path: a query parameter out of range is a 400 naming it, as the document lists"() {
        given:
        def key = trigger('errors', 'one', [parameters: [level: 'low']])
        awaitEnd(key)
        def documented = http.get('/openapi.json').json.paths[template][method.toLowerCase()].responses

        when:
        def r = http.method(method, path.replace('KEY', key))

        then:
        r.status == 400
        r.json.message.startsWith("'$name' must be")
        documented.containsKey('400')

        where:
        method   | path                                   | template                                | name
        'GET'    | '/runs/KEY/tasks/t/log/lines?from=0'   | '/runs/{key}/tasks/{task}/log/lines'    | 'from'
        'GET'    | '/runs/KEY/tasks/t/log/lines?count=0'  | '/runs/{key}/tasks/{task}/log/lines'    | 'count'
        'DELETE' | '/agents/nobody?force=maybe'           | '/agents/{agent}'                       | 'force'
    }

    def "a method #path does not have is a 405 whose Allow header lists the methods it has"() {
        when:
        def r = http.method(method, path)

        then:
        r.status == 405
        r.json.error == 'method not allowed'
        r.header('allow') == allow

        where:
        method   | path                            | allow
        'PATCH'  | '/projects'                     | 'GET, HEAD, POST, OPTIONS'
        'PATCH'  | '/projects/errors'              | 'GET, HEAD, PUT, DELETE, OPTIONS'
        'POST'   | '/projects/errors/jobs/one'     | 'GET, HEAD, OPTIONS'
        'DELETE' | '/version'                      | 'GET, HEAD, OPTIONS'
        // the pull agents' path, not /agents/{agent} for an agent named "connect" (no agent may take that name)
        'DELETE' | '/agents/connect'               | 'GET, HEAD, OPTIONS'
        // the rollback's path, not /deployments/{id} for a deployment "rollback"
        'GET'    | '/projects/errors/deployments/rollback' | 'POST, OPTIONS'
        'DELETE' | '/projects/errors/targets'      | 'GET, HEAD, OPTIONS'
    }

    def "OPTIONS answers 204 with the path's methods in Allow, without a login"() {
        when:
        def r = http.anonymous().method('OPTIONS', path)

        then:
        r.status == 204
        r.text == ''
        r.header('allow') == allow

        where:
        path                            | allow
        '/projects'                     | 'GET, HEAD, POST, OPTIONS'
        '/projects/errors/'             | 'GET, HEAD, PUT, DELETE, OPTIONS'
        '/runs/KEY/rerun'               | 'POST, OPTIONS'
        '/agents/connect'               | 'GET, HEAD, OPTIONS'
        '/agents/builder'               | 'GET, HEAD, DELETE, OPTIONS'
        '/projects/errors/targets'      | 'GET, HEAD, OPTIONS'
    }

    def "HEAD answers as GET would, without the body"() {
        expect:
        def head = http.method('HEAD', path)
        def get = http.get(path)
        head.status == status
        get.status == status
        head.text == ''
        head.header('content-type') == get.header('content-type')

        and: 'the same headers, the length of the body it leaves out included (curl -I, uptime checks)'
        get.header('content-length') as long == get.bytes.length
        without(head.headers, 'date') == without(get.headers, 'date')

        where:
        path                                 | status
        '/version'                           | 200
        '/projects/errors'                   | 200
        '/projects/nope'                     | 404
        '/openapi.json'                      | 200
        '/projects/errors/jobs/one/badge.svg' | 200
    }

    static Map without(Map headers, String name) {
        headers.findAll { k, v -> !k.equalsIgnoreCase(name) && k != ':status' }
    }

    def "a body that is not JSON is told by line and column, in no parser's internal words"() {
        when:
        def r = http.post('/projects', body)

        then:
        r.status == 400
        r.json.message == 'the body is not valid JSON'
        r.json.details == (field ? ["field: $field", details] : [details])
        !r.text.contains('Source:')
        !r.text.contains('`')
        !r.text.contains('ALLOW_')
        !r.text.contains('enable')

        where:
        body                       | field     | details
        '{"name": NaN}'            | 'name'    | "'NaN' is not a JSON number: NaN and Infinity are not numbers in JSON (text goes in double quotes), at line 1, column 13"
        '{"name": -Infinity}'      | 'name'    | "'-Infinity' is not a JSON number: NaN and Infinity are not numbers in JSON (text goes in double quotes), at line 1, column 19"
        '/* c */ {}'               | null      | "JSON has no comments: remove it, at line 1, column 1"
        '{"name": +1}'             | 'name'    | "a JSON number has no '+' sign: write 1, not +1, at line 1, column 11"
        '{} {}'                    | null      | 'more follows the JSON value, at line 1, column 5'
        '{'                        | null      | "'{' opened at 1:1 is never closed, at line 1, column 2"
        '{"name": "x"'             | null      | "'{' opened at 1:1 is never closed, at line 1, column 13"
        '{"name": "x", '           | null      | "the body ends before a '}': a bracket is never closed, at line 1, column 15"
        '{"name": "x'              | 'name'    | 'a string is never closed: end it with ", at line 1, column 12'
        '{"name": "x", "jobfile": ["a", ' | 'jobfile' | "the body ends before a ']': a bracket is never closed, at line 1, column 32"
        '{"name": "x",\n "jobfile" x}' | 'jobfile' | "a ':' is missing between the key and its value, at line 2, column 12"
        '[' * 1001 + ']' * 1001    | null      | 'values are nested deeper than 1000 levels, the most that is read'
    }

    def "a field given twice or a number beyond a double's range is refused by its path, on every endpoint"() {
        given:
        int runs = http.get('/runs?project=errors').json.total

        when: 'the same field twice: JSON parsers disagree on which one wins, so the server takes neither'
        def twice = http.post('/projects/errors/jobs/one/runs', '{"parameters": {"level": "low"}, "parameters": {}}')
        def nested = http.post('/projects/errors/jobs/one/runs', '{"parameters": {"level": "low", "level": "high"}}')
        and: 'a number that would be read as Infinity'
        def param = http.post('/projects/errors/jobs/one/runs', '{"parameters": {"level": 1e400}}')
        def meta = http.post('/projects/errors/jobs/one/runs', '{"metadata": {"sizes": [1, -1e999999999]}}')
        def login = http.post('/login', '{"username": "admin", "username": "other", "password": "x"}')

        then:
        twice.status == 400
        twice.json.message == "duplicate field 'parameters'"
        twice.json.details == ['field: parameters', 'a field may appear once in an object, at line 1, column 49']
        nested.json.message == "duplicate field 'parameters.level'"
        nested.json.details[0] == 'field: parameters.level'
        param.status == 400
        param.json.message == "'parameters.level' is a number out of range"
        param.json.details == ['field: parameters.level', '1e400 is beyond the largest number the server stores (about ±1.8e308)']
        meta.status == 400
        meta.json.message == "'metadata.sizes[1]' is a number out of range"
        meta.json.details[0] == 'field: metadata.sizes[1]'
        login.status == 400
        login.json.message == "duplicate field 'username'"
        login.json.details[0] == 'field: username'
        [twice, nested, param, meta, login].every { it.json.error == 'bad request' && !it.text.contains('Infinity') }

        and: 'none of them started a run'
        http.get('/runs?project=errors').json.total == runs
    }

    def "a string holding half of a surrogate pair is refused by its path, not stored as '?'"() {
        given:
        int runs = http.get('/runs?project=errors').json.total

        when: 'an escaped lone surrogate, in a value and in a field name'
        def value = http.post('/projects/errors/jobs/one/runs', '{"parameters": {"level": "lo\\ud800w"}}')
        def name = http.post('/projects/errors/jobs/one/runs', '{"parameters": {"\\udc00": "low"}}')
        and: 'a whole pair is a character like any other'
        def pair = http.post('/projects/errors/jobs/one/runs',
                '{"parameters": {"level": "low"}, "metadata": {"note": "\\ud83d\\ude00"}}')

        then:
        value.status == 400
        value.json.message == "'parameters.level' is not Unicode text"
        value.json.details == ['field: parameters.level',
                               '\\ud800 at character 3 is half of a surrogate pair without its other half']
        name.status == 400
        name.json.details == ['field: parameters', 'Unexpected low surrogate in field name: 0xdc00, at line 1, column 24']
        pair.status == 201
        http.get("/runs/${pair.json.key}").json.metadata.note == '\uD83D\uDE00'
        http.get('/runs?project=errors').json.total == runs + 1
    }

    def "a git URL that names no repository is told apart from one where there is none"() {
        when:
        def malformed = http.post('/projects', [name: 'g1', gitUrl: 'not a url'])
        def missing = http.post('/projects', [name: 'g2', gitUrl: 'file:///nonexistent/repo.git'])

        then:
        malformed.status == 400
        malformed.json.details == ['field: gitUrl']
        malformed.json.message == "'gitUrl' must be a git repository's URL (https://…, ssh://…, git@host:path, " +
                "file:///path or an absolute path), not 'not a url'"
        missing.status == 422
        missing.json.message == 'cannot read the git repository'
        missing.json.details == ["project 'g2': cannot fetch file:///nonexistent/repo.git: no git repository there", 'field: gitUrl']
        http.get('/projects/g1').status == 404
        http.get('/projects/g2').status == 404
    }

    def "a URL of a scheme git does not speak here is a 400 naming gitUrl, not read as host:path: #url"() {
        when:
        def r = http.post('/projects', [name: 'g3', gitUrl: url])

        then: 'ftp:// was fetched as host ftp, path //x/y, and answered with a cast of JDK classes'
        r.status == 400
        r.json.message == "'gitUrl' must be a git repository's URL (https://…, ssh://…, git@host:path, " +
                "file:///path or an absolute path), not '$url'"
        http.get('/projects/g3').status == 404

        where:
        url << ['ftp://x/y', 'ftps://x/y', 'sftp://127.0.0.1/r', 'rsync://x/y']
    }

    def "a git host that cannot be reached is named in words, not in the transport's class names: #url"() {
        given: 'a port nothing listens on, held so that nothing can start listening there meanwhile'
        def closed = new ClosedPort()
        int port = closed.port

        when:
        def r = http.post('/projects', [name: 'g4', gitUrl: url.replace('PORT', port as String)])

        then:
        r.status == 422
        r.json.message == 'cannot read the git repository'
        r.json.details == ["project 'g4': cannot fetch ${url.replace('PORT', port as String)}: " + reason.replace('PORT', port as String),
                           'field: gitUrl']

        cleanup:
        closed?.close()

        where:
        url                                  | reason
        'git@no-such-host.invalid:o/r.git'   | 'unknown host no-such-host.invalid (the name does not resolve)'
        'https://no-such-host.invalid/o/r'   | 'unknown host no-such-host.invalid (the name does not resolve)'
        'ssh://git@127.0.0.1:PORT/r.git'     | 'connection refused by 127.0.0.1:PORT'
    }

    def "health and version answer outside and inside the API"() {
        expect:
        http.get('/healthz').json == [status: 'ok', ready: true]
        http.get('/version').json.api == 'v1'
    }

    static final Set<String> HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as Set

    def "the OpenAPI document names every route the router serves"() {
        given:
        def doc = http.get('/openapi.json').json
        def documented = doc.paths.collectMany { String path, Map ops ->
            // a path outside /api/v1 says so with a servers entry of its own
            String base = ops.servers ? ops.servers[0].url.replaceAll('/$', '') : '/api/v1'
            assert (base == '') == Http.ROOT_PATHS.any { path.startsWith(it) }: path
            ops.keySet().findAll { it in HTTP_METHODS }.collect { String m -> m.toUpperCase() + ' ' + base + path }
        } as Set

        expect:
        doc.openapi.startsWith('3.')
        def served = server.routes() as Set
        served.size() > 20
        (served - documented).isEmpty()
        (documented - served).isEmpty()
    }
}
