package io.stoker.server.api;

import io.stoker.server.Problem;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The query parameters an {@code /api/v1} request may carry are the ones openapi.json declares ({@code in: query})
 * for its operation, each given once. {@code GET /runs?stauts=failed} (a typo) answered with every run, as if no
 * filter were given; it is a 400 naming the parameter and listing the operation's own. Read from the document the
 * server publishes, so the check and the document cannot disagree. A path the document does not name is left to the
 * router (404, 405). An operation that declares a free-form query parameter (an {@code object} schema, OpenAPI's way
 * of saying "any names") takes any, unread: a git host's webhook URL may carry what its owner added to it. A parameter
 * whose schema has an {@code enum} takes only those values ({@code GET /runs?status=bogus} is a 400 naming the
 * parameter and listing them), so every such parameter is checked alike, and the document says what is.
 */
final class QueryParameters implements Handler<RoutingContext> {
    private final List<Operation> operations;

    /** @param openapi the OpenAPI document; its paths with a {@code servers} entry of their own are not under the API */
    QueryParameters(Buffer openapi) {
        JsonObject doc = openapi.toJsonObject();
        List<Operation> ops = new ArrayList<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            if (item.containsKey("servers")) continue;
            for (String method : item.fieldNames()) {
                if (!(item.getValue(method) instanceof JsonObject op) || !op.containsKey("responses")) continue;
                List<JsonObject> query = new ArrayList<>(queryParameters(doc, item.getJsonArray("parameters")));
                query.addAll(queryParameters(doc, op.getJsonArray("parameters")));
                Set<String> names = new TreeSet<>();
                Map<String, List<String>> choices = new TreeMap<>();
                for (JsonObject q : query) {
                    names.add(q.getString("name"));
                    JsonArray values = q.getJsonObject("schema", new JsonObject()).getJsonArray("enum");
                    if (values != null) choices.put(q.getString("name"), values.stream().map(String::valueOf).toList());
                }
                boolean anyNames = query.stream().anyMatch(QueryParameters::freeForm);
                ops.add(Operation.of(HttpMethod.valueOf(method.toUpperCase()), path, Set.copyOf(names), Map.copyOf(choices),
                        anyNames));
            }
        }
        // a path the document names literally is that operation's, not a template's (/agents/connect, /agents/{agent})
        ops.sort(Comparator.comparingInt(Operation::literalSegments).reversed());
        this.operations = List.copyOf(ops);
    }

    @Override
    public void handle(RoutingContext ctx) {
        var query = ctx.queryParams();
        if (query.isEmpty()) {
            ctx.next();
            return;
        }
        Operation op = operation(ctx.request().method(), relative(ctx));
        if (op != null && op.anyNames()) {
            // none of them is read, so none can be misread: no name to refuse, no second value to lose
            ctx.next();
            return;
        }
        if (op != null) {
            List<String> unknown = query.names().stream().filter(n -> !op.names().contains(n)).sorted().toList();
            if (!unknown.isEmpty()) {
                String known = op.names().isEmpty() ? "this endpoint takes no query parameters"
                        : "known query parameters: " + String.join(", ", op.names().stream().sorted().toList());
                ctx.fail(Problem.badRequest((unknown.size() == 1 ? "unknown query parameter " : "unknown query parameters ")
                        + String.join(", ", unknown.stream().map(n -> "'" + n + "'").toList()), known));
                return;
            }
        }
        // ?status=failed&status=cancelled answered with the failed runs only, as if the second were not there
        for (String name : query.names()) {
            if (query.getAll(name).size() > 1) {
                ctx.fail(Problem.badRequest("'" + name + "' is given " + query.getAll(name).size()
                        + " times: each query parameter takes one value", "field: " + name));
                return;
            }
        }
        // a value the document's enum does not list filters by nothing the server knows: said, never ignored
        if (op != null) {
            for (var e : op.choices().entrySet()) {
                String given = query.get(e.getKey());
                if (given != null && !e.getValue().contains(given)) {
                    ctx.fail(Problem.badRequest("unknown " + e.getKey() + " '" + given + "'", "field: " + e.getKey(),
                            "one of: " + String.join(", ", e.getValue())));
                    return;
                }
            }
        }
        ctx.next();
    }

    /** The document's operation for {@code method} on {@code path} (relative to the API), or null when none. */
    Operation operation(HttpMethod method, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (Operation op : operations) {
            if (op.method().equals(method) && op.pattern().matcher(p).matches()) return op;
        }
        return null;
    }

    private static List<JsonObject> queryParameters(JsonObject doc, JsonArray parameters) {
        List<JsonObject> out = new ArrayList<>();
        if (parameters == null) return out;
        for (Object o : parameters) {
            JsonObject p = (JsonObject) o;
            if (p.containsKey("$ref")) p = resolve(doc, p.getString("$ref"));
            if ("query".equals(p.getString("in"))) out.add(p);
        }
        return out;
    }

    /** A {@code style: form} (the default), exploded query parameter of an object schema: each property a name. */
    private static boolean freeForm(JsonObject parameter) {
        JsonObject schema = parameter.getJsonObject("schema");
        return schema != null && "object".equals(schema.getString("type"))
                && "form".equals(parameter.getString("style", "form")) && parameter.getBoolean("explode", true);
    }

    /** A local {@code #/a/b/c} reference into the document. */
    private static JsonObject resolve(JsonObject doc, String ref) {
        JsonObject at = doc;
        for (String part : ref.substring(2).split("/")) at = at.getJsonObject(part.replace("~1", "/").replace("~0", "~"));
        return at;
    }

    private static String relative(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        return path.startsWith(ApiRouter.PREFIX) ? path.substring(ApiRouter.PREFIX.length()) : path;
    }

    /**
     * One operation of the document: its path as a pattern ({@code {name}} one segment; a last {@code {path}} the
     * rest of the path, as the routes' trailing wildcards are named), its query parameters' names, and whether it
     * takes any names (a free-form parameter).
     */
    record Operation(HttpMethod method, String path, Pattern pattern, int literalSegments, Set<String> names,
                     Map<String, List<String>> choices, boolean anyNames) {
        static Operation of(HttpMethod method, String path, Set<String> names, Map<String, List<String>> choices,
                            boolean anyNames) {
            StringBuilder regex = new StringBuilder();
            int literal = 0;
            String[] segments = path.substring(1).split("/", -1);
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                regex.append('/');
                if (i == segments.length - 1 && s.equals("{path}")) regex.append(".+");
                else if (s.startsWith("{") && s.endsWith("}")) regex.append("[^/]+");
                else {
                    regex.append(Pattern.quote(s));
                    literal++;
                }
            }
            return new Operation(method, path, Pattern.compile(regex.toString()), literal, names, choices, anyNames);
        }
    }
}
