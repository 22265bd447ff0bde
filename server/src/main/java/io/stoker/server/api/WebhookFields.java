package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.outbox.Endpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads a trigger's {@code "webhooks": {"status": url | [urls]}}; a bad URL is a 400 naming its field. */
final class WebhookFields {
    private static final Set<String> KINDS = Set.of("status");

    private WebhookFields() {
    }

    static List<Endpoint> status(JsonObject body) {
        Object v = body.getValue("webhooks");
        if (v == null) return List.of();
        if (!(v instanceof JsonObject hooks)) throw Problem.badRequest("'webhooks' must be an object like {\"status\": \"https://…\"}");
        for (String name : hooks.fieldNames()) {
            if (!KINDS.contains(name)) {
                throw Problem.badRequest("unknown field 'webhooks." + name + "'", "known fields: " + String.join(", ", KINDS));
            }
        }
        Object status = hooks.getValue("status");
        List<Object> urls = new ArrayList<>();
        if (status instanceof JsonArray a) a.forEach(urls::add);
        else if (status != null) urls.add(status);
        List<Endpoint> out = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String field = "webhooks.status" + (status instanceof JsonArray ? "[" + i + "]" : "");
            if (!(urls.get(i) instanceof String s)) throw Problem.badRequest("'" + field + "' must be a URL string");
            try {
                out.add(Endpoint.parse(s));
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("'" + field + "' " + e.getMessage());
            }
        }
        return out;
    }
}
