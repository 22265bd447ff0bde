package io.stoker.server.api

import com.fasterxml.jackson.databind.JsonNode
import io.stoker.server.ServerSpecification
import spock.lang.Shared

/**
 * A query parameter an operation does not declare in openapi.json is refused with 400, naming it and listing the
 * ones the operation takes: {@code GET /runs?stauts=failed} (a typo) must not answer with every run as if no filter
 * were given. The parameters the web UI and the CLI send are declared, and so accepted; a declared parameter with a
 * value it cannot take is a 400 naming it too.
 */
class QueryParametersSpec extends ServerSpecification {
    static final JsonNode DOC = ReplySchemas.DOC

    @Shared String key

    def setupSpec() {
        freestyle('qp', "job('j') { task('t') { sh 'echo hello' } }\ndeploy('prod') { run 'true' }")
        key = trigger('qp', 'j')
        assert awaitEnd(key).status == 'succeeded'
    }

    def "an unknown query parameter on #path is a 400 naming it and the parameters the endpoint takes"() {
        when:
        def r = http.get(path.replace('KEY', key))

        then:
        r.status == 400
        r.json.error == 'bad request'
        r.json.message == message
        r.json.details == [details]
        ReplySchemas.problems(DOC, DOC.at('/components/schemas/Error'), ReplySchemas.JSON.readTree(r.text)) == []

        where:
        path                                           | message                               | details
        '/runs?stauts=failed'                          | "unknown query parameter 'stauts'"    | 'known query parameters: before, branch, job, page, pageSize, project, status, trigger'
        '/runs?status=failed&projct=qp&limt=1'         | "unknown query parameters 'limt', 'projct'" | 'known query parameters: before, branch, job, page, pageSize, project, status, trigger'
        '/projects?name=qp'                            | "unknown query parameter 'name'"      | 'this endpoint takes no query parameters'
        '/projects/?name=qp'                           | "unknown query parameter 'name'"      | 'this endpoint takes no query parameters'
        '/runs/KEY/log?folow=true'                     | "unknown query parameter 'folow'"     | 'known query parameters: download, follow'
        '/runs/KEY/tasks/t/log?follow=true&offest=3'   | "unknown query parameter 'offest'"    | 'known query parameters: download, follow, limit, offset'
        '/events?since=5'                              | "unknown query parameter 'since'"     | 'this endpoint takes no query parameters'
    }

    def "the typo no longer answers every run; the parameter it meant filters"() {
        expect:
        http.get('/runs?stauts=failed').status == 400
        http.get('/runs?status=failed').json.total == 0
        http.get('/runs?status=succeeded&project=qp').json.runs*.key == [key]
    }

    def "HEAD is refused as its GET is, and a caller without a login hears 401 before anything of the parameters"() {
        expect:
        http.method('HEAD', '/runs?stauts=failed').status == 400
        http.anonymous().get('/runs?stauts=failed').status == 401
    }

    def "#method #template refuses an undeclared parameter, listing exactly the query parameters the document declares"() {
        given: 'path parameters no literal path has, so each request is the operation under test'
        String path = template.replaceAll(/\{(\w+)}/) { all, name -> name == 'key' ? key : 'q1' }

        when: 'the check comes before the route: nothing is created, changed or deleted'
        def r = http.method(method, path + '?undeclared=1')

        then:
        r.status == 400
        r.json.message == "unknown query parameter 'undeclared'"
        r.json.details == [declared ? 'known query parameters: ' + declared.join(', ') : 'this endpoint takes no query parameters']

        where:
        [method, template, declared] << apiOperations()
    }

    def "the web UI's and the CLI's query parameters are accepted: #call"() {
        when:
        def r = http.method(method, path.replace('KEY', key))

        then:
        !(r.status == 400 && r.json.message.startsWith('unknown query parameter'))
        r.status == status

        where: 'each call as ui/…/js/api.js, the pages and the cli module build it (write calls on things that do not exist)'
        call                 | method   | path                                                                                                | status
        'ui: job page runs'  | 'GET'    | '/runs?project=qp&job=j&branch=main&status=failed&trigger=api&page=1&pageSize=20'                    | 200
        'ui: badge'          | 'GET'    | '/projects/qp/jobs/j/badge.svg?branch=main'                                                        | 200
        'ui: rerun from'     | 'POST'   | '/runs/NOPE/rerun?from=t'                                                                           | 404
        'ui: log lines'      | 'GET'    | '/runs/KEY/tasks/t/log/lines?from=1&count=200'                                                       | 200
        'ui: log search'     | 'GET'    | '/runs/KEY/tasks/t/log/search?q=hello&limit=1000'                                                    | 200
        'ui/cli: tokens'     | 'GET'    | '/tokens?user=admin'                                                                                | 200
        'ui/cli: agent rm'   | 'DELETE' | '/agents/nope?force=true'                                                                           | 404
        'ui/cli: secrets'    | 'GET'    | '/secrets?project=qp'                                                                               | 200
        'ui/cli: secret rm'  | 'DELETE' | '/secrets/nope?project=qp'                                                                          | 404
        'ui: audit'          | 'GET'    | '/audit?limit=50&actor=admin&action=project.created&before=1000'                                    | 200
        'cli: runs'          | 'GET'    | '/runs?project=qp&job=j&status=succeeded&branch=main&trigger=api&page=1'                            | 200
        'cli: list'          | 'GET'    | '/runs?project=qp&pageSize=1'                                                                       | 200
        'cli: versions'      | 'GET'    | '/projects/qp/versions?pageSize=1&status=good'                                                      | 200
        'cli: deployments'   | 'GET'    | '/projects/qp/deployments?limit=20&target=prod'                                                     | 200
        'ui/cli: targets'    | 'GET'    | '/projects/qp/targets'                                                                              | 200
        'cli: rerun'         | 'POST'   | '/runs/NOPE/rerun?from=t&queue=true'                                                                | 404
        'cli: trigger'       | 'POST'   | '/projects/qp/jobs/nope/runs?queue=true'                                                            | 404
        'cli: token revoke'  | 'DELETE' | '/tokens/nope?user=admin'                                                                           | 404
        'cli: follow run'    | 'GET'    | '/runs/KEY/log?follow=true'                                                                         | 200
        'cli: follow task'   | 'GET'    | '/runs/KEY/tasks/t/log?follow=true'                                                                 | 200
    }

    def "a declared parameter with a value it cannot take is a 400 naming it: #method #path"() {
        when:
        def r = http.method(method, path.replace('KEY', key))

        then:
        r.status == 400
        r.json.message == message

        and: 'the details name it as every other refusal of a field does, so a client can point at it'
        r.json.details == ["field: ${message.tokenize("'")[0]}"]

        where:
        method   | path                                     | message
        'GET'    | '/runs?page=abc'                         | "'page' must be a whole number from 1 to 1000000, not 'abc'"
        'GET'    | '/audit?limit=abc'                       | "'limit' must be a whole number from 1 to 1000, not 'abc'"
        'GET'    | '/runs/KEY/tasks/t/log?limit=abc'        | "'limit' must be a number of bytes (0 or more), not 'abc'"
        'GET'    | '/runs/KEY/log?follow=maybe'             | "'follow' must be true or false, not 'maybe'"
        // was read as "not true", so a mistyped force deleted nothing and said the version was missing or in use
        'DELETE' | '/projects/qp/versions/1.0.0?force=yes'  | "'force' must be true or false, not 'yes'"
    }

    def "a value an enum parameter does not list is a 400 naming the parameter and the values it takes: #path"() {
        when:
        def r = http.get(path)

        then: 'never the unfiltered list, as if the filter had not been given'
        r.status == 400
        r.json.message == message
        r.json.details == details

        where:
        path                                  | message                   | details
        '/runs?status=bogus'                  | "unknown status 'bogus'"  | ['field: status', 'one of: queued, running, succeeded, failed, timedout, cancelled']
        '/runs?project=qp&trigger=manual'     | "unknown trigger 'manual'" | ['field: trigger', 'one of: api, rerun, push, pull-request, webhook, cron, poll, upstream, startup, deploy, shuttle']
        '/runs?status=FAILED'                 | "unknown status 'FAILED'" | ['field: status', 'one of: queued, running, succeeded, failed, timedout, cancelled']
        '/projects/qp/versions?status=shiny'  | "unknown status 'shiny'"  | ['field: status', 'one of: new, good, bad']
    }

    def "the document's enums are the values the server knows, so a value it lets through is one the route can read"() {
        expect:
        enumOf('/runs', 'status') == io.stoker.engine.run.RunState.values()*.label()
        enumOf('/runs', 'trigger') == io.stoker.server.run.RunFilter.TRIGGERS
        enumOf('/projects/{project}/versions', 'status') == io.stoker.engine.version.VersionStatus.values()*.label()
    }

    static List<String> enumOf(String path, String parameter) {
        DOC.path('paths').path(path).path('get').path('parameters').toList()
                .find { it.path('name').asText() == parameter }.path('schema').path('enum').toList()*.asText()
    }

    def "a git host's webhook takes any query parameters its URL was given, as the document's free-form parameter says"() {
        when: 'no signature: the parameters are let through to the hook, which answers for the delivery itself'
        def r = http.anonymous().raw('POST', "/hooks/$host?team=web&team=api&x=", '{}'.bytes, ['content-type': 'application/json'])

        then:
        r.status == 401
        !r.json.message.contains('query parameter')

        where:
        host << ['github', 'gitlab', 'gitea', 'bitbucket']
    }

    /**
     * (method, path, sorted declared query parameter names) of every operation under /api/v1 that takes only the
     * names it declares: not the git hosts' webhooks, whose free-form parameter takes any.
     */
    static List<List<Object>> apiOperations() {
        def out = []
        DOC.path('paths').fields().each { p ->
            if (p.value.has('servers')) return // outside /api/v1 (/healthz, /metrics, the Build-Shuttle API)
            p.value.fields().findAll { it.key in ['get', 'put', 'post', 'delete', 'patch'] }.each { m ->
                def query = (p.value.path('parameters').toList() + m.value.path('parameters').toList())
                        .collect { it.has('$ref') ? DOC.at(it.path('$ref').asText().substring(1)) : it }
                        .findAll { it.path('in').asText() == 'query' }
                if (query.any { it.path('schema').path('type').asText() == 'object' }) return
                out << [m.key.toUpperCase(), p.key, query.collect { it.path('name').asText() }.unique().sort()]
            }
        }
        assert out.size() > 80
        out
    }
}
