package io.stoker.server.api

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.networknt.schema.JsonSchemaFactory
import com.networknt.schema.SpecVersion
import io.stoker.server.ServerSpecification

/**
 * The OpenAPI document and the server's hand-coded body checks agree: every documented request body, sent with one
 * undocumented field to the live server, is refused with 400 {@code unknown field '…'}, the server's list of known
 * fields is the document's list of properties, the document says {@code additionalProperties: false}, and the reply
 * matches the document's schema for that 400 (checked with networknt's JSON-schema validator). A field sent as
 * {@code null} is refused naming it unless the document says {@code nullable}. The document is valid OpenAPI 3 where
 * generators trip: every templated path segment is a declared path parameter, and every operation has its own operationId.
 */
class OpenApiBodiesSpec extends ServerSpecification {
    static final ObjectMapper JSON = new ObjectMapper()
    static final JsonNode DOC = JSON.readTree(OpenApiBodiesSpec.getResource('/openapi.json'))
    /** Git hosts' webhook payloads and generic webhook bodies are the senders': any object is taken. */
    static final List<String> FOREIGN = ['/hooks/github', '/hooks/gitlab', '/hooks/gitea', '/hooks/bitbucket',
                                         '/hooks/generic/{project}/{job}']
    static final Map<String, String> PATH_VALUES = [project: 'docs', job: 'build', name: 'admin', agent: 'docs-agent',
                                                app_id: 'docs', build_id: 'b1']

    def setupSpec() {
        freestyle('docs', "job('build') { task('t') { sh 'true' } }")
    }

    def "#method #path: a body with an undocumented field is refused in the words the document gives"() {
        expect:
        def schema = resolve(operation.path('requestBody').path('content').path('application/json').path('schema'))
        schema.path('additionalProperties').asBoolean(true) == false
        def documented = schema.path('properties').fieldNames().toList().sort()

        def reply = http."${method}"(path.replaceAll(/\{(\w+)}/) { all, p -> PATH_VALUES[p] }, [undocumented: true])
        reply.status == 400
        reply.json.error == 'bad request'
        reply.json.message == "unknown field 'undocumented'"
        reply.json.details == ['known fields: ' + documented.join(', ')]
        problems(operation.path('responses').path('400'), reply.text) == []

        where:
        [method, path, operation] << bodies()
    }

    def "#method #path: a body that is not JSON, typed as #type, is a 415 naming the type to send, as the document says"() {
        when:
        def reply = http.raw(method.toUpperCase(), path.replaceAll(/\{(\w+)}/) { all, p -> PATH_VALUES[p] },
                'name=a&jobfile=b'.bytes, ['content-type': type])

        then:
        reply.status == 415
        reply.json.error == 'unsupported media type'
        reply.json.message == "the body is ${type.tokenize(';')[0]}, not JSON: this endpoint takes a JSON body, sent with Content-Type: application/json"
        reply.json.details == ['Content-Type: application/json']
        problems(operation.path('responses').path('415'), reply.text) == []

        where:
        [method, path, operation, type] << bodies().collectMany { m, p, op ->
            ['text/plain; charset=utf-8', 'application/x-www-form-urlencoded'].collect { [m, p, op, it] }
        }
    }

    def "#method #path: JSON is read whatever type it is sent as (curl -d sends a form's), and declared JSON that is not JSON is a 400"() {
        given:
        String at = path.replaceAll(/\{(\w+)}/) { all, p -> PATH_VALUES[p] }

        expect: 'an undocumented field in JSON typed as text/plain is refused as such, so the body was read'
        http.raw(method.toUpperCase(), at, '{"undocumented": true}'.bytes, ['content-type': 'text/plain']).json.message ==
                "unknown field 'undocumented'"

        and: 'a body declared JSON and not JSON is the client\'s syntax error, not a wrong type'
        with(http.raw(method.toUpperCase(), at, 'name=a'.bytes, ['content-type': 'application/json'])) {
            status == 400
            json.message == 'the body is not valid JSON'
        }

        where:
        [method, path, operation] << bodies()
    }

    def "#method #path: a body the document calls required is refused when missing, an optional one may be left out"() {
        given:
        boolean required = operation.path('requestBody').path('required').asBoolean(false)
        String at = path.replaceAll(/\{(\w+)}/) { all, p -> PATH_VALUES[p] }

        expect: 'no body at all is refused, or answered as an empty object is'
        def none = http."${method}"(at, null)
        required ? none.status in [400, 422] : none.status == http."${method}"(at, [:]).status

        where:
        [method, path, operation] << bodies()
    }

    def "#method #path: #field sent as null is refused naming it, unless the document marks it nullable"() {
        given:
        def schema = resolve(operation.path('requestBody').path('content').path('application/json').path('schema'))
        boolean nullable = resolve(schema.path('properties').path(field)).path('nullable').asBoolean(false) ||
                schema.path('properties').path(field).path('nullable').asBoolean(false)

        when:
        def reply = http."${method}"(path.replaceAll(/\{(\w+)}/) { all, p -> PATH_VALUES[p] }, [(field): null])

        then: 'null would otherwise read as a missing field: "from": null rerunning the whole run, say'
        if (nullable) {
            assert !reply.text.contains('must not be null')
        } else {
            assert reply.status == 400
            assert reply.json.message == "'$field' must not be null: give a value or leave the field out"
            assert reply.json.details == ["field: $field"]
            assert problems(operation.path('responses').path('400'), reply.text) == []
        }

        where:
        [method, path, operation, field] << bodies().collectMany { m, p, op ->
            resolve(op.path('requestBody').path('content').path('application/json').path('schema'))
                    .path('properties').fieldNames().toList().collect { f -> [m, p, op, f] }
        }
    }

    def "every {segment} of a path is declared as a required path parameter of each of its operations, and nothing else is"() {
        when:
        def problems = operations().collectMany { String method, String path, JsonNode op ->
            def templated = (path =~ /\{([^}]+)}/).collect { it[1] } as Set
            def declared = (DOC.path('paths').path(path).path('parameters').toList() + op.path('parameters').toList())
                    .collect { resolve(it) }.findAll { it.path('in').asText() == 'path' }
            def names = declared.collect { it.path('name').asText() } as Set
            def wrong = []
            if (names != templated) wrong << "$method $path declares path parameters $names, its path has $templated"
            declared.findAll { !it.path('required').asBoolean(false) }.each {
                wrong << "$method $path: path parameter ${it.path('name').asText()} is not required: true"
            }
            wrong
        }

        then: 'OpenAPI 3 calls a document invalid otherwise, and code generators refuse it'
        problems == []
    }

    def "every operation has its own camelCase operationId, so generated clients get names a person chose"() {
        given:
        def ops = operations()
        def ids = ops.collect { m, p, op -> op.path('operationId').asText('') }
        def unnamed = ops.findAll { m, p, op -> !(op.path('operationId').asText('') ==~ /[a-z][a-zA-Z0-9]*/) }
                .collect { m, p, op -> "$m $p".toString() }

        expect:
        unnamed == []
        ids.countBy { it }.findAll { it.value > 1 }.keySet() == [] as Set

        and: 'a resource and its verb, kept as they are once clients are generated'
        DOC.at('/paths/~1runs/get/operationId').asText() == 'listRuns'
        DOC.at('/paths/~1runs~1{key}/get/operationId').asText() == 'getRun'
        DOC.at('/paths/~1projects~1{project}~1jobs~1{job}~1runs/post/operationId').asText() == 'triggerRun'
        DOC.at('/paths/~1runs~1{key}~1rerun/post/operationId').asText() == 'rerunRun'
        DOC.at('/paths/~1agents~1{agent}/get/operationId').asText() == 'getAgent'
    }

    /** (method, path, operation) of every operation in the document. */
    static List<List<Object>> operations() {
        def out = []
        DOC.path('paths').fields().each { p ->
            p.value.fields().findAll { it.key in ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] }
                    .each { m -> out << [m.key.toUpperCase(), p.key, m.value] }
        }
        out
    }

    /** (method, path, operation) of every operation with a JSON request body the server reads strictly. */
    static List<List<Object>> bodies() {
        def out = []
        DOC.path('paths').fields().each { p ->
            p.value.fields().each { m ->
                if (m.value.has('requestBody') && !(p.key in FOREIGN)) out << [m.key, p.key, m.value]
            }
        }
        assert out.size() >= 14
        out
    }

    static JsonNode resolve(JsonNode schema) {
        schema.has('$ref') ? DOC.at(schema.path('$ref').asText().substring(1)) : schema
    }

    /** What the validator finds wrong with {@code body} against the response's schema ($refs into the document). */
    static List<String> problems(JsonNode response, String body) {
        JsonNode schema = response.path('content').path('application/json').path('schema')
        assert !schema.isMissingNode(), 'the document gives no schema for this 400'
        def root = JSON.createObjectNode()
        root.setAll(schema.deepCopy())
        root.set('components', DOC.path('components'))
        def validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root)
        validator.validate(JSON.readTree(body))*.message
    }
}
