package io.stoker.server.api;

import io.stoker.server.db.Json;
import io.stoker.server.event.EventHub;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;

/** {@code GET /events}: every run and task state change as Server-Sent Events, with a comment heartbeat. */
final class EventRoutes {
    private static final long HEARTBEAT_MILLIS = 15_000;

    private final EventHub events;

    EventRoutes(EventHub events) {
        this.events = events;
    }

    void mount(Router api) {
        api.get("/events").handler(ctx -> {
            HttpServerResponse res = ctx.response().setChunked(true)
                    .putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache");
            res.write(": stoker events\n\n");
            Context context = ctx.vertx().getOrCreateContext();
            Runnable unsubscribe = events.subscribeCluster(e -> context.runOnContext(v -> {
                if (!res.ended() && !res.closed()) res.write("event: " + e.type() + "\ndata: " + Json.write(e.json()) + "\n\n");
            }));
            long timer = ctx.vertx().setPeriodic(HEARTBEAT_MILLIS, id -> {
                if (!res.ended() && !res.closed()) res.write(": heartbeat\n\n");
            });
            res.closeHandler(v -> {
                unsubscribe.run();
                ctx.vertx().cancelTimer(timer);
            });
        });
    }
}
