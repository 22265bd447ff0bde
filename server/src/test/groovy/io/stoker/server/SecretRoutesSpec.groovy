package io.stoker.server

import java.nio.file.Files

/** The secrets API: values go in, never come out; scopes, conflicts, grants and every refusal named. */
class SecretRoutesSpec extends ServerSpecification {
    static final String JOBFILE = "job('j') { task('t') { sh 'true' } }"

    def setupSpec() {
        freestyle('web', JOBFILE)
        freestyle('api', JOBFILE)
    }

    def "a global secret is stored, listed by name and scope, and its value never comes back"() {
        when:
        def created = http.post('/secrets', [name: 'NPM_TOKEN', value: 'npm-value-0001'])
        def listed = http.get('/secrets')

        then:
        created.status == 201
        created.json.name == 'NPM_TOKEN'
        created.json.scope == 'global'
        created.json.source == 'value'
        created.json.projects == null
        created.json.createdAt
        created.json.createdBy == 'admin'
        !created.text.contains('npm-value-0001')
        listed.status == 200
        listed.json*.name.contains('NPM_TOKEN')
        !listed.text.contains('npm-value-0001')
        !http.get('/secrets?project=web').json*.name.contains('NPM_TOKEN')
    }

    @spock.lang.IgnoreIf(value = { sys['stoker.test.store'] == 'postgresql' }, reason = 'reads the H2 file')
    def "the database files never hold a value in clear"() {
        given:
        http.post('/secrets', [name: 'DB_PLAIN_CHECK', value: 'plain-text-must-not-be-on-disk', project: 'web'])

        expect:
        Files.walk(dataDir.resolve('db')).withCloseable { paths ->
            paths.filter { Files.isRegularFile(it) }.noneMatch { new String(Files.readAllBytes(it), 'ISO-8859-1').contains('plain-text-must-not-be-on-disk') }
        }
    }

    def "a second secret of the same name and scope is a conflict; PUT replaces the value"() {
        given:
        assert http.post('/secrets', [name: 'DEPLOY_KEY', value: 'first-value', project: 'web']).status == 201

        when:
        def again = http.post('/secrets', [name: 'DEPLOY_KEY', value: 'second-value', project: 'web'])
        def sameNameOtherScope = http.post('/secrets', [name: 'DEPLOY_KEY', value: 'global-value'])
        def replaced = http.put('/secrets/DEPLOY_KEY?project=web', [value: 'second-value'])

        then:
        again.status == 409
        again.json.message.contains("a project secret named 'DEPLOY_KEY' in project 'web' exists already")
        sameNameOtherScope.status == 201
        replaced.status == 200
        replaced.json.scope == 'project'
        replaced.json.project == 'web'
        !replaced.text.contains('second-value')
        http.get('/secrets?project=web').json.find { it.name == 'DEPLOY_KEY' }.project == 'web'
    }

    def "delete answers 204, then 404; replacing a missing secret is 404"() {
        given:
        http.post('/secrets', [name: 'GONE_SOON', value: 'abcdef', project: 'api'])

        expect:
        http.delete('/secrets/GONE_SOON').status == 404 // it is a project secret, not a global one
        http.delete('/secrets/GONE_SOON?project=api').status == 204
        http.delete('/secrets/GONE_SOON?project=api').status == 404
        http.put('/secrets/GONE_SOON?project=api', [value: 'x1234']).status == 404
        !http.get('/secrets?project=api').json*.name.contains('GONE_SOON')
    }

    def "an unknown project is 404 wherever it is named"() {
        expect:
        http.post('/secrets', [name: 'X_1', value: 'v-1234', project: 'nope']).status == 404
        http.get('/secrets?project=nope').status == 404
        http.delete('/secrets/X_1?project=nope').status == 404
        http.put('/secrets/X_1?project=nope', [value: 'v']).status == 404
        with(http.post('/secrets', [name: 'X_2', value: 'v-1234', projects: ['web', 'nope']])) {
            status == 404
            json.message == "no project 'nope'"
        }
    }

    def "bad input is a 400 that names the field and stores nothing"() {
        when:
        def r = body instanceof String ? http.post('/secrets', body) : http.post('/secrets', body)

        then:
        r.status == 400
        r.json.error == 'bad request'
        (r.json.message + ' ' + r.json.details).contains(field)
        !http.get('/secrets').json*.name.contains('BAD_ONE')

        where:
        body                                                                   || field
        [value: 'v']                                                           || "'name' is required"
        [name: '1ABC', value: 'v']                                             || "'name' must be an environment variable name"
        [name: 'A-B', value: 'v']                                              || "'name' must be an environment variable name"
        [name: 'A' * 101, value: 'v']                                          || "'name' is 101 characters"
        [name: 'BAD_ONE']                                                      || "'value' is required"
        [name: 'BAD_ONE', value: '']                                           || "'value' must not be empty"
        [name: 'BAD_ONE', value: 'x' * (64 * 1024 + 1)]                        || "'value' is 65537 bytes; at most 65536"
        [name: 'BAD_ONE', value: 42]                                           || "'value' must be a string"
        [name: 'BAD_ONE', value: 'v', extra: 1]                                || "unknown field 'extra'"
        [name: 'BAD_ONE', value: 'v', vault: [path: 'a', key: 'b']]            || "give 'value' or 'vault', not both"
        [name: 'BAD_ONE', vault: 'ci/npm']                                     || "'vault' must be an object"
        [name: 'BAD_ONE', vault: [path: '../x', key: 'k']]                     || "'vault.path' must be a Vault path"
        [name: 'BAD_ONE', vault: [path: 'ci/npm']]                             || "'vault.key' must name a key"
        [name: 'BAD_ONE', vault: [path: 'ci/npm', key: 'k', mount: 'x']]       || "unknown field 'vault.mount'"
        [name: 'BAD_ONE', value: 'v', project: 'web', projects: ['api']]       || "'projects' grants a global secret"
        [name: 'BAD_ONE', value: 'v', projects: 'web']                         || "'projects' must be a list"
        [name: 'BAD_ONE', value: 'v', projects: [1]]                           || "'projects' must be a list"
        [name: 'BAD_ONE', value: 'v', project: '']                             || "'project' must name a project"
        '{"name": "BAD_ONE", "value": '                                         || 'not valid JSON'
        '["BAD_ONE"]'                                                          || 'must be a JSON object'
    }

    def "a bad name in the path or a repeated project query is a 400"() {
        expect:
        http.delete('/secrets/9lives').status == 400
        http.put('/secrets/bad-name', [value: 'v']).status == 400
        http.get('/secrets?project=web&project=api').status == 400
        http.get('/secrets?project=').status == 400
    }

    def "a global secret's grant list is kept on a value rotation and replaced only when given"() {
        given:
        assert http.post('/secrets', [name: 'SHARED', value: 'shared-1', projects: ['web']]).json.projects == ['web']

        expect:
        http.put('/secrets/SHARED', [value: 'shared-2']).json.projects == ['web']
        http.put('/secrets/SHARED', [value: 'shared-3', projects: ['web', 'api']]).json.projects == ['web', 'api']
        http.put('/secrets/SHARED', [value: 'shared-4', projects: null]).json.projects == null
    }

    def "a global secret's grants change without its value, which stays sealed as it was"() {
        given: 'a job that succeeds only when it reads the value the secret was created with'
        freestyle('regrant', """job('check') {
  secrets 'REGRANTED'
  task('t') { sh '[ "\$REGRANTED" = first-value-0042 ]' }
}""")
        assert http.post('/secrets', [name: 'REGRANTED', value: 'first-value-0042', projects: ['web']]).status == 201

        when: 'an admin who does not know the value changes who may read it'
        def granted = http.put('/secrets/REGRANTED', [projects: ['web', 'regrant']])
        def opened = http.put('/secrets/REGRANTED', [projects: null])

        then:
        granted.status == 200
        granted.json.projects == ['web', 'regrant']
        granted.json.source == 'value'
        opened.status == 200
        opened.json.projects == null
        awaitEnd(trigger('regrant', 'check')).status == 'succeeded'

        and: 'audited as any secret change, naming what changed'
        def entries = http.get('/audit?action=secret.updated&limit=1000').json.findAll { it.target == 'REGRANTED' }
        entries*.detail*.changed == [['projects'], ['projects']]
        entries*.detail*.scope == ['global', 'global']
        entries*.actor == ['admin', 'admin']
    }

    def "a PUT without a value changes nothing else: #why is a #status"() {
        given:
        http.post('/secrets', [name: 'UNTOUCHED', value: 'untouched-1', projects: ['web']])
        http.post('/secrets', [name: 'UNTOUCHED', value: 'untouched-2', project: 'web'])

        when:
        def r = http.put(path, body)

        then:
        r.status == status
        status == 404 || r.json.details == ["field: $field"]
        http.get('/secrets').json.find { it.name == 'UNTOUCHED' }.projects == ['web']

        where:
        why                                     | path                             | body                 || status | field
        'nothing to change'                     | '/secrets/UNTOUCHED'             | [:]                  || 400    | 'value'
        'a project secret, which has no grants' | '/secrets/UNTOUCHED?project=web' | [projects: null]     || 400    | 'value'
        'grants to a project secret'            | '/secrets/UNTOUCHED?project=web' | [projects: ['api']]  || 400    | 'value'
        'a grant to no project that exists'     | '/secrets/UNTOUCHED'             | [projects: ['nope']] || 404    | null
        'a secret that does not exist'          | '/secrets/NEVER_MADE'            | [projects: null]     || 404    | null
    }

    def "a Vault reference is stored with its path and key"() {
        when:
        def r = http.post('/secrets', [name: 'FROM_VAULT', vault: [path: 'ci/npm', key: 'token'], project: 'web'])

        then:
        r.status == 201
        r.json.source == 'vault'
        r.json.vault == [path: 'ci/npm', key: 'token']
    }

    def "deleting a project deletes its secrets"() {
        given:
        freestyle('short-lived', JOBFILE)
        http.post('/secrets', [name: 'TEMP', value: 'temp-value', project: 'short-lived'])

        when:
        http.delete('/projects/short-lived')
        freestyle('short-lived', JOBFILE)

        then:
        http.get('/secrets?project=short-lived').json == []
    }

    def "only an admin stores a Vault reference: the server reads it with its own token, whatever the path"() {
        given: 'a developer who is a member of web'
        assert http.post('/users', [username: 'vera', password: 'developer-password-1', role: 'developer']).status == 201
        assert http.put('/projects/web/members/vera', [:]).status in [200, 201, 204]
        def vera = Http.loggedIn(server.url(), 'vera', 'developer-password-1')

        when:
        def vault = vera.post('/secrets', [name: 'OTHER_TEAM', vault: [path: 'prod/db', key: 'password'], project: 'web'])
        def value = vera.post('/secrets', [name: 'OWN_VALUE', value: 'own-value-1', project: 'web'])

        then:
        vault.status == 403
        vault.json.message == 'only an admin may store a Vault reference: the server reads it with its own Vault token'
        value.status == 201
    }

    def "a deleted project's name leaves every grant: a new project of that name reads nothing granted to the old one"() {
        given: 'a global secret granted to a project that is then deleted, and one granted to it and another'
        freestyle('prod', JOBFILE)
        assert http.post('/secrets', [name: 'PROD_ONLY', value: 'prod-value-1', projects: ['prod']]).status == 201
        assert http.post('/secrets', [name: 'PROD_AND_WEB', value: 'both-value-1', projects: ['prod', 'web']]).status == 201

        when: 'prod is deleted, and a project of the same name is made again'
        assert http.delete('/projects/prod').status == 204
        freestyle('prod', JOBFILE)
        def listed = http.get('/secrets').json

        then: "the grants no longer name it: an empty list grants no project (it does not fall back to every project)"
        listed.find { it.name == 'PROD_ONLY' }.projects == []
        listed.find { it.name == 'PROD_AND_WEB' }.projects == ['web']
    }

    def "creates of one name racing each other end in one 201 and 409s, never a 500"() {
        given:
        def start = new java.util.concurrent.CountDownLatch(1)
        def statuses = new java.util.concurrent.CopyOnWriteArrayList<Integer>()
        def threads = (1..8).collect { i ->
            Thread.start {
                start.await()
                statuses << http.post('/secrets', [name: 'RACED', value: "value-$i".toString()]).status
            }
        }

        when:
        start.countDown()
        threads*.join(30_000)

        then:
        statuses.size() == 8
        statuses.count { it == 201 } == 1
        statuses.count { it == 409 } == 7
        http.get('/secrets').json.count { it.name == 'RACED' } == 1
    }
}
