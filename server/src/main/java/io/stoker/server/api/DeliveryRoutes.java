package io.stoker.server.api;

import io.stoker.server.logstream.LogStreamRow;
import io.stoker.server.logstream.LogStreams;
import io.stoker.server.outbox.Delivery;
import io.stoker.server.outbox.Outbox;
import io.stoker.server.run.RunService;
import io.vertx.ext.web.Router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /runs/{key}/deliveries}: what the outbox sent for a run and every attempt's outcome, and where each of
 * the run's log streams stands (the offset its receiver acknowledged).
 */
final class DeliveryRoutes {
    private final RunService runs;
    private final Outbox outbox;
    private final LogStreams logStreams;

    DeliveryRoutes(RunService runs, Outbox outbox, LogStreams logStreams) {
        this.runs = runs;
        this.outbox = outbox;
        this.logStreams = logStreams;
    }

    void mount(Router api) {
        api.get("/runs/:key/deliveries").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            String key = runs.get(ctx.pathParam("key")).key(); // 404 for an unknown run
            return Map.of("deliveries", outbox.list(key).stream().map(DeliveryRoutes::view).toList(),
                    "logStreams", logStreams.list(key).stream().map(DeliveryRoutes::view).toList());
        }), 200));
    }

    private static Map<String, Object> view(LogStreamRow s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("target", s.target().text());
        m.put("state", s.state().label());
        m.put("acknowledged", s.acked());
        m.put("attempts", s.attempts());
        m.put("lastStatus", s.lastStatus());
        m.put("lastError", s.lastError());
        m.put("progressAt", s.progressAt().toString());
        m.put("createdAt", s.createdAt().toString());
        return m;
    }

    private static Map<String, Object> view(Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("kind", d.kind());
        m.put("target", d.target());
        m.put("signed", d.signed());
        m.put("state", d.state().label());
        m.put("attempts", d.attempts());
        m.put("nextAttemptAt", d.state() == io.stoker.server.outbox.DeliveryState.PENDING ? d.nextAttemptAt().toString() : null);
        m.put("lastStatus", d.lastStatus());
        m.put("lastError", d.lastError());
        m.put("createdAt", d.createdAt().toString());
        m.put("payload", io.stoker.server.db.Json.value(d.payload()));
        m.put("history", d.history().stream().map(a -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("attempt", a.attempt());
            h.put("at", a.at().toString());
            h.put("status", a.status());
            h.put("error", a.error());
            return h;
        }).toList());
        return m;
    }
}
