package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.logstream.LogTarget;
import io.stoker.server.outbox.Endpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a trigger's {@code "webhooks": {"status": url | [urls], "logs": target | [targets]}}, where a status
 * webhook may also be {@code {"url": …, "secret": …}} (signed with that secret); a bad URL is a 400 naming its field.
 */
public final class WebhookFields {
    private static final Set<String> KINDS = new java.util.TreeSet<>(Set.of("status", "logs"));
    private static final Set<String> SIGNED_FIELDS = new java.util.TreeSet<>(Set.of("url", "secret"));

    private WebhookFields() {
    }

    /** The status webhooks: URLs, or {@code {"url", "secret"}} objects for signed ones. */
    public static List<Endpoint> status(JsonObject body) {
        return read(body, "status", WebhookFields::statusTarget);
    }

    /** The log targets: http(s) URLs, {@code kafka://host:port/topic}, {@code failover(kafka://…, kafka://…)}. */
    public static List<LogTarget> logs(JsonObject body) {
        return read(body, "logs", (given, field) -> {
            if (!(given instanceof String s)) throw Problem.badRequest("'" + field + "' must be a URL string", "field: " + field);
            return parse(field, () -> LogTarget.parse(s));
        });
    }

    private static Endpoint statusTarget(Object given, String field) {
        if (given instanceof String s) return parse(field, () -> Endpoint.parse(s));
        if (!(given instanceof JsonObject signed)) {
            throw Problem.badRequest("'" + field + "' must be a URL string or an object like {\"url\": \"https://…\", "
                    + "\"secret\": \"…\"}", "field: " + field);
        }
        for (String name : signed.fieldNames()) {
            if (!SIGNED_FIELDS.contains(name)) {
                throw Problem.badRequest("unknown field '" + field + "." + name + "'", "known fields: "
                        + String.join(", ", SIGNED_FIELDS));
            }
        }
        if (!(signed.getValue("url") instanceof String url)) {
            throw Problem.badRequest("'" + field + ".url' must be a URL string", "field: " + field + ".url");
        }
        Endpoint endpoint = parse(field + ".url", () -> Endpoint.parse(url));
        if (!(signed.getValue("secret") instanceof String key) || key.isEmpty()) {
            throw Problem.badRequest("'" + field + ".secret' must be a non-empty string: the key the body's "
                    + "x-stoker-signature-256 is made with (an unsigned webhook is a plain URL string)",
                    "field: " + field + ".secret");
        }
        return endpoint.signedWith(key);
    }

    private static <T> T parse(String field, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("'" + field + "' " + e.getMessage(), "field: " + field);
        }
    }

    private static <T> List<T> read(JsonObject body, String kind, java.util.function.BiFunction<Object, String, T> parse) {
        Object v = body.getValue("webhooks");
        if (v == null) return List.of();
        if (!(v instanceof JsonObject hooks)) {
            throw Problem.badRequest("'webhooks' must be an object like {\"status\": \"https://…\"}", "field: webhooks");
        }
        for (String name : hooks.fieldNames()) {
            if (!KINDS.contains(name)) {
                throw Problem.badRequest("unknown field 'webhooks." + name + "'", "known fields: " + String.join(", ", KINDS));
            }
        }
        Object given = hooks.getValue(kind);
        if (given == null && hooks.containsKey(kind)) { // as for every field the OpenAPI document does not mark nullable
            throw Problem.badRequest("'webhooks." + kind + "' must not be null: give a URL or leave the field out",
                    "field: webhooks." + kind);
        }
        List<Object> urls = new ArrayList<>();
        if (given instanceof JsonArray a) a.forEach(urls::add);
        else if (given != null) urls.add(given);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            out.add(parse.apply(urls.get(i), "webhooks." + kind + (given instanceof JsonArray ? "[" + i + "]" : "")));
        }
        return out;
    }
}
