package io.stoker.server.api

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.node.ObjectNode
import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.Shared

/**
 * The replies a client generated from openapi.json reads are the ones the server sends: a real project, its jobs, a
 * run to its end (parameters, a matrix, outputs, artifacts, a published version), a run held while it runs and then
 * cancelled, and a rerun, each reply checked against the document's schema for its operation and status by
 * {@link ReplySchemas}: types, required fields, enums, nullability, and no field the document leaves out.
 */
class OpenApiRepliesSpec extends ServerSpecification {
    static final String JOBFILE = '''
job('release') {
  description 'builds and publishes'
  parameters {
    string 'V', defaultValue: '1.0.0'
    choice 'channel', choices: ['beta', 'stable']
    bool 'notes', defaultValue: false
  }
  triggers { cron 'H 3 * * *' }
  publish version: '${{ outputs.build.version }}'
  task('build') {
    sh 'echo "built $V" && mkdir -p dist && echo "app $V" > dist/app.txt && echo "version=$V" >> "$STOKER_OUTPUT"'
    artifacts 'dist/**'
  }
  task('test') {
    needs 'build'
    matrix jdk: ['17', '21']
    sh 'echo "tests on ${{ matrix.jdk }}"'
  }
}
job('slow') {
  task('hold') { sh 'sleep 60' }
}
'''

    /** Replies a spec's setup got (a POST's answer is had once), by "METHOD template STATUS". */
    @Shared Map<String, Http.Reply> setupReplies = [:]
    @Shared String key
    @Shared String slowKey

    def setupSpec() {
        def created = http.post('/projects', [name: 'shop', jobfile: JOBFILE])
        assert created.status == 201, created.text
        setupReplies['POST /projects 201'] = created
        def triggered = http.post('/projects/shop/jobs/release/runs', [parameters: [V: '1.2.3', notes: true],
                                                                       metadata: [ticket: 7]])
        assert triggered.status == 201, triggered.text
        setupReplies['POST /projects/{project}/jobs/{job}/runs 201'] = triggered
        key = triggered.json.key
        assert awaitEnd(key).status == 'succeeded'
    }

    def "#method #template#query answers #status as the document's schema says"() {
        given:
        String path = template.replace('{project}', 'shop').replace('{job}', 'release').replace('{key}', key)
                .replace('{number}', '1').replace('{version}', '1.2.3').replace('{task}', 'build')
                .replace('{name}', 'mine') + query

        when:
        def reply = method == 'GET' ? http.get(path) : method == 'PUT' ? http.put(path, body) : http.post(path, body)

        then:
        reply.status == status
        reply.header('content-type').startsWith('application/json')
        ReplySchemas.problems(method, template, status, reply.text) == []

        where:
        method | template                                        | query      | status | body
        'GET'  | '/version'                                      | ''         | 200    | null
        'GET'  | '/projects'                                     | ''         | 200    | null
        'GET'  | '/projects/{project}'                           | ''         | 200    | null
        'PUT'  | '/projects/{project}'                           | ''         | 200    | [allowForkBuilds: false]
        'GET'  | '/jobs'                                         | ''         | 200    | null
        'GET'  | '/projects/{project}/jobs/{job}'                | ''         | 200    | null
        'GET'  | '/runs'                                         | ''         | 200    | null
        'GET'  | '/runs/{key}'                                   | ''         | 200    | null
        'GET'  | '/projects/{project}/jobs/{job}/runs/{number}'  | ''         | 200    | null
        'GET'  | '/runs/{key}/graph'                             | ''         | 200    | null
        'GET'  | '/runs/{key}/artifacts'                         | ''         | 200    | null
        'GET'  | '/runs/{key}/tasks/{task}/log/lines'            | ''         | 200    | null
        'GET'  | '/runs/{key}/tasks/{task}/log/search'           | '?q=built' | 200    | null
        'GET'  | '/projects/{project}/versions'                  | ''         | 200    | null
        'GET'  | '/projects/{project}/versions/{version}'        | ''         | 200    | null
        'PUT'  | '/projects/{project}/versions/{version}/status' | ''         | 200    | [status: 'good']
        'GET'  | '/projects/{project}/targets'                   | ''         | 200    | null
        'POST' | '/validate'                                     | ''         | 200    | [jobfile: "job('j') { task('t') { sh 'true' } }"]
        'PUT'  | '/views/{name}'                                 | ''         | 200    | [filter: 'project:shop']
        'GET'  | '/views'                                        | ''         | 200    | null
        'PUT'  | '/projects/{project}/public'                    | ''         | 200    | [public: true]
        'GET'  | '/public-projects'                              | ''         | 200    | null
        'GET'  | '/jobs/health'                                  | ''         | 200    | null
        'GET'  | '/executors'                                    | ''         | 200    | null
        'GET'  | '/runs/{key}/deliveries'                        | ''         | 200    | null
        'GET'  | '/healthz'                                      | ''         | 200    | null
        'GET'  | '/openapi.json'                                 | ''         | 200    | null
    }

    def "every reply but a 204 and the WebSocket's 101 says what it carries, and a JSON one its schema"() {
        when: 'a reply described in words alone leaves a generated client with no type to read it into'
        def missing = []
        ReplySchemas.DOC.path('paths').fields().each { p ->
            p.value.fields().findAll { it.key in ['get', 'put', 'post', 'delete', 'patch'] }.each { m ->
                m.value.path('responses').fields().findAll { !(it.key in ['204', '101']) }.each { r ->
                    def content = r.value.path('content')
                    if (content.size() == 0) missing << "${m.key.toUpperCase()} ${p.key} ${r.key}: no content".toString()
                    content.fields().findAll { !it.value.has('schema') }.each {
                        missing << "${m.key.toUpperCase()} ${p.key} ${r.key}: no schema for ${it.key}".toString()
                    }
                }
            }
        }

        then:
        missing == []
    }

    def "the replies setup got answer as the document's schema says: #which"() {
        given:
        def (method, template, status) = which.split(' ')

        expect:
        ReplySchemas.problems(method, template, status as int, setupReplies[which].text) == []

        where:
        which << ['POST /projects 201', 'POST /projects/{project}/jobs/{job}/runs 201']
    }

    def "the run's replies carry what the document describes: tasks, outputs, images, the trigger's parameters"() {
        when:
        def run = http.get("/runs/$key").json

        then: 'fields the schema leaves optional or open are there, so the checks above saw them'
        run.tasks.keySet() == ['build', 'test[jdk=17]', 'test[jdk=21]'] as Set
        run.tasks.build.outputs == [version: '1.2.3']
        run.parameters.V == '1.2.3'
        run.metadata == [ticket: 7]
        !run.containsKey('server') // ended: held by no server

        when:
        def job = http.get('/projects/shop/jobs/release').json

        then:
        job.schedules*.kind == ['cron']
        job.graph.tasks.find { it.name == 'test[jdk=17]' }.matrixOf == 'test'
        job.graph.parameters*.type == ['string', 'choice', 'bool']
        job.graph.edges.every { it.kind == 'needs' }
    }

    def "a running run (with the server holding it), its cancel and a rerun answer as the document says"() {
        when:
        def triggered = http.post('/projects/shop/jobs/slow/runs', [:])
        slowKey = triggered.json.key
        def running = Http.eventually {
            def r = http.get("/runs/$slowKey")
            r.json.status == 'running' && r.json.tasks['hold'].status == 'running' ? r : null
        }

        then:
        running.json.server.id
        ReplySchemas.problems('GET', '/runs/{key}', 200, running.text) == []
        ReplySchemas.problems('GET', '/executors', 200, http.get('/executors').text) == []
        ReplySchemas.problems('GET', '/runs', 200, http.get('/runs?status=running').text) == []

        when:
        def cancel = http.delete("/runs/$slowKey")

        then:
        cancel.status == 202
        ReplySchemas.problems('DELETE', '/runs/{key}', 202, cancel.text) == []

        when:
        awaitEnd(slowKey)
        def rerun = http.post("/runs/$key/rerun", [:])

        then:
        rerun.status == 201
        ReplySchemas.problems('POST', '/runs/{key}/rerun', 201, rerun.text) == []

        cleanup:
        if (rerun?.status == 201) awaitEnd(rerun.json.key as String)
    }

    def "the check fails when the document is wrong: #wrong"() {
        given: 'the run as the server sends it, and the document changed as said'
        JsonNode body = ReplySchemas.JSON.readTree(http.get("/runs/$key").text)
        ObjectNode doc = ReplySchemas.DOC.deepCopy()
        change(doc, body)
        JsonNode schema = ReplySchemas.schemaOf(doc, 'GET', '/runs/{key}', 200)

        expect:
        ReplySchemas.problems(doc, schema, body) != []

        where:
        wrong                                          | change
        'number typed as a string'                     | { d, b -> d.at('/components/schemas/Run/properties/number').put('type', 'string') }
        'a run status left out of the enum'            | { d, b -> d.at('/components/schemas/Run/properties/status/enum').remove(2) }
        'finishedAt not nullable (while the run has none)' | { d, b -> d.at('/components/schemas/Run/properties/finishedAt').remove('nullable'); b.putNull('finishedAt') }
        'a required field missing from the reply'      | { d, b -> b.remove('key') }
        'a field the document does not list'           | { d, b -> b.put('surprise', 1) }
        'a task field typed wrong'                     | { d, b -> d.at('/components/schemas/Task/properties/attempts').put('type', 'string') }
        'a task field the document does not list'      | { d, b -> b.get('tasks').get('build').put('surprise', 1) }
        'the reply checked against another resource (allOf)' | { d, b -> d.at('/paths/~1runs~1{key}/get/responses/200/content/application~1json/schema').put('$ref', '#/components/schemas/JobWithGraph') }
    }

    def "the same body passes with the document as it is (so the failures above are the changes')"() {
        expect:
        ReplySchemas.problems('GET', '/runs/{key}', 200, http.get("/runs/$key").text) == []
    }
}
