package io.stoker.server.api;

import io.stoker.server.auth.AuthService;
import io.stoker.server.db.Json;
import io.stoker.server.event.EventHub;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /events}: every run and task state change as Server-Sent Events, with a comment heartbeat. The stream
 * ends once the token it was opened with is refused (see {@link StreamCredential}).
 */
final class EventRoutes {
    private static final long HEARTBEAT_MILLIS = 15_000;

    private final EventHub events;
    private final AuthService auth;

    EventRoutes(EventHub events, AuthService auth) {
        this.events = events;
        this.auth = auth;
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
            Runnable[] unwatch = {() -> { }};
            AtomicBoolean stopped = new AtomicBoolean();
            Runnable stop = () -> {
                if (!stopped.compareAndSet(false, true)) return;
                unsubscribe.run();
                ctx.vertx().cancelTimer(timer);
                unwatch[0].run();
            };
            unwatch[0] = StreamCredential.watch(ctx, auth, reason -> {
                stop.run();
                // a comment: clients skip it, a person reading with curl sees why the stream ended
                if (!res.ended() && !res.closed()) res.end(": the stream ended: " + reason + "\n\n");
            });
            res.closeHandler(v -> stop.run());
        });
    }
}
