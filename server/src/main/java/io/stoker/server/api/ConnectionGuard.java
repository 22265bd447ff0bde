package io.stoker.server.api;

import io.stoker.server.db.Json;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps connections from holding the server: one remote address may hold at most {@code maxPerAddress} open
 * connections (more are answered 429 and closed); a connection with no request in progress is closed after
 * {@code idle} (a request in progress, such as a followed log or the event stream, keeps it open however quiet it
 * is); a request whose body has not fully arrived {@code body} after its headers is answered 408 and closed.
 *
 * <p>Vert.x' own idle timeout is not used: it counts only bytes, so it would close a follow of a quiet run, and a
 * plain-text follow has no way to send a keep-alive without changing the text.
 */
public final class ConnectionGuard implements Handler<RoutingContext> {
    private final Vertx vertx;
    private final long idleMillis;
    private final long bodyMillis;
    private final int maxPerAddress;
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<HttpConnection, Open> open = new ConcurrentHashMap<>();
    private long sweeper = -1;

    /** One accepted connection: whether it is over its address's cap, and how long it has had nothing to do. */
    private static final class Open {
        final String address;
        final boolean refused;
        final AtomicInteger inProgress = new AtomicInteger();
        volatile long idleSince = System.nanoTime();

        Open(String address, boolean refused) {
            this.address = address;
            this.refused = refused;
        }
    }

    public ConnectionGuard(Vertx vertx, Duration idle, Duration body, int maxPerAddress) {
        this.vertx = vertx;
        this.idleMillis = idle.toMillis();
        this.bodyMillis = body.toMillis();
        this.maxPerAddress = maxPerAddress;
    }

    /** Starts closing idle connections: looks every quarter of the idle timeout. */
    public ConnectionGuard start() {
        sweeper = vertx.setPeriodic(Math.clamp(idleMillis / 4, 25, 5_000), id -> sweep());
        return this;
    }

    /** The server's connection handler: counts the connection against its address. */
    public void connected(HttpConnection connection) {
        String address = connection.remoteAddress() == null ? "?" : connection.remoteAddress().hostAddress();
        int count = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        Open state = new Open(address, count > maxPerAddress);
        open.put(connection, state);
        connection.closeHandler(v -> {
            open.remove(connection);
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        });
        // a refused connection gets its 429 if it asks right away; a silent one is not kept waiting for the sweep
        if (state.refused) vertx.setTimer(Math.min(1000, idleMillis), id -> connection.close());
    }

    /**
     * Counts a connection as busy until the returned action runs (a WebSocket that may stay quiet for long), so the
     * idle sweep leaves it alone.
     */
    public Runnable hold(HttpConnection connection) {
        Open state = connection == null ? null : open.get(connection);
        if (state == null) return () -> { };
        state.inProgress.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                state.idleSince = System.nanoTime();
                state.inProgress.decrementAndGet();
            }
        };
    }

    /** The first route of every request: refuses over-cap connections, tracks the request, bounds its body. */
    @Override
    public void handle(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        Open state = connection == null ? null : open.get(connection);
        if (state == null) {
            ctx.next();
            return;
        }
        if (state.refused) {
            answerAndClose(ctx, 429, "too many connections",
                    "this address already holds " + maxPerAddress + " connections to the server");
            return;
        }
        state.inProgress.incrementAndGet();
        long deadline = ctx.request().isEnded() ? -1 : vertx.setTimer(bodyMillis, id -> {
            if (ctx.request().isEnded() || ctx.response().closed()) return;
            if (!ctx.response().headWritten()) {
                answerAndClose(ctx, 408, "request timeout", "the request body did not arrive within " + bodyMillis + " ms");
            } else {
                connection.close();
            }
        });
        ctx.addEndHandler(done -> {
            if (deadline >= 0) vertx.cancelTimer(deadline);
            state.idleSince = System.nanoTime();
            state.inProgress.decrementAndGet();
        });
        ctx.next();
    }

    /** The API's JSON error, then the connection closed. */
    private static void answerAndClose(RoutingContext ctx, int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        body.put("details", List.of());
        HttpConnection connection = ctx.request().connection();
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("connection", "close").end(Json.write(body)).onComplete(d -> connection.close());
    }

    private void sweep() {
        long now = System.nanoTime();
        open.forEach((connection, state) -> {
            if (state.inProgress.get() == 0 && (now - state.idleSince) / 1_000_000 >= idleMillis) connection.close();
        });
    }

    /** Stops the sweeps (the server closes the connections themselves). */
    public void close() {
        if (sweeper >= 0) vertx.cancelTimer(sweeper);
    }
}
