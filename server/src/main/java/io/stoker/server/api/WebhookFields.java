package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.logstream.LogTarget;
import io.stoker.server.outbox.Endpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a trigger's {@code "webhooks": {"status": url | [urls], "logs": target | [targets]}}; a bad URL is a 400
 * naming its field.
 */
public final class WebhookFields {
    private static final Set<String> KINDS = new java.util.TreeSet<>(Set.of("status", "logs"));

    private WebhookFields() {
    }

    public static List<Endpoint> status(JsonObject body) {
        return read(body, "status", Endpoint::parse);
    }

    /** The log targets: http(s) URLs, {@code kafka://host:port/topic}, {@code failover(kafka://…, kafka://…)}. */
    public static List<LogTarget> logs(JsonObject body) {
        return read(body, "logs", LogTarget::parse);
    }

    private static <T> List<T> read(JsonObject body, String kind, Function<String, T> parse) {
        Object v = body.getValue("webhooks");
        if (v == null) return List.of();
        if (!(v instanceof JsonObject hooks)) throw Problem.badRequest("'webhooks' must be an object like {\"status\": \"https://…\"}");
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
            String field = "webhooks." + kind + (given instanceof JsonArray ? "[" + i + "]" : "");
            if (!(urls.get(i) instanceof String s)) throw Problem.badRequest("'" + field + "' must be a URL string");
            try {
                out.add(parse.apply(s));
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("'" + field + "' " + e.getMessage());
            }
        }
        return out;
    }
}
