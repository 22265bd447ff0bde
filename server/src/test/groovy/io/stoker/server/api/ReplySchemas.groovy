package io.stoker.server.api

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.node.ArrayNode
import com.fasterxml.jackson.databind.node.ObjectNode
import com.networknt.schema.JsonSchemaFactory
import com.networknt.schema.SpecVersion
import com.networknt.schema.oas.OpenApi30

/**
 * Checks a reply body against the schema openapi.json gives for that operation and status, with networknt's
 * validator in its OpenAPI 3.0 dialect (so {@code nullable} counts): $refs, types, required, enums, nullability. It
 * also closes every object schema that lists properties and says nothing of {@code additionalProperties}
 * ({@code allOf} members merged first), so a field the server sends and the document leaves out is a problem too: the
 * document is a client's only description of a reply.
 */
final class ReplySchemas {
    static final ObjectMapper JSON = new ObjectMapper()
    static final JsonNode DOC = JSON.readTree(ReplySchemas.getResource('/openapi.json'))

    private ReplySchemas() {
    }

    /** The schema the document gives for {@code method path} answering {@code status} as JSON, or a missing node. */
    static JsonNode schemaOf(JsonNode doc = DOC, String method, String path, int status) {
        doc.path('paths').path(path).path(method.toLowerCase()).path('responses').path(status as String)
                .path('content').path('application/json').path('schema')
    }

    /** What is wrong with {@code body} as the reply of {@code method path} with {@code status}; empty when nothing is. */
    static List<String> problems(JsonNode doc = DOC, String method, String path, int status, String body) {
        JsonNode schema = schemaOf(doc, method, path, status)
        if (schema.isMissingNode()) return ["the document gives no JSON schema for $method $path $status".toString()]
        problems(doc, schema, JSON.readTree(body))
    }

    static List<String> problems(JsonNode doc, JsonNode schema, JsonNode body) {
        ObjectNode root = JSON.createObjectNode()
        root.setAll((ObjectNode) closed(doc, schema))
        ObjectNode components = JSON.createObjectNode()
        ObjectNode schemas = components.putObject('schemas')
        doc.path('components').path('schemas').fields().each { schemas.set(it.key, closed(doc, it.value)) }
        root.set('components', components)
        def factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4) { b ->
            b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri())
        }
        factory.getSchema(root).validate(body).collect { it.toString() }
    }

    /** A copy of {@code schema}, each object schema with properties closed to others, each allOf merged into one. */
    static JsonNode closed(JsonNode doc, JsonNode schema) {
        if (schema instanceof ArrayNode) {
            ArrayNode out = JSON.createArrayNode()
            schema.each { out.add(closed(doc, it)) }
            return out
        }
        if (!(schema instanceof ObjectNode)) return schema
        if (schema.has('allOf')) return closed(doc, merged(doc, schema))
        ObjectNode out = JSON.createObjectNode()
        schema.fields().each { e ->
            // a properties map's values are schemas; so are items, additionalProperties and oneOf members
            out.set(e.key, e.key in ['enum', 'required', 'example'] ? e.value : closed(doc, e.value))
        }
        if (out.path('type').asText() == 'object' && out.has('properties') && !out.has('additionalProperties')) {
            out.put('additionalProperties', false)
        }
        out
    }

    /** One object schema for an allOf of object schemas: their properties and required fields together. */
    private static ObjectNode merged(JsonNode doc, JsonNode schema) {
        ObjectNode out = JSON.createObjectNode()
        schema.fields().findAll { it.key != 'allOf' }.each { out.set(it.key, it.value) }
        out.put('type', 'object')
        ObjectNode properties = out.putObject('properties')
        ArrayNode required = out.putArray('required')
        schema.path('allOf').each { JsonNode m ->
            JsonNode part = m.has('$ref') ? doc.at(m.path('$ref').asText().substring(1)) : m
            if (part.has('allOf')) part = merged(doc, part)
            assert part.path('type').asText() == 'object', "an allOf member that is no object: $part"
            properties.setAll((ObjectNode) part.path('properties'))
            part.path('required').each { required.add(it) }
        }
        out
    }
}
