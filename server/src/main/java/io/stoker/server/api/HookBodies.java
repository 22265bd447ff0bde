package io.stoker.server.api;

import io.stoker.server.Problem;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import io.vertx.core.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a webhook's body raw, up to {@link #LIMIT}: the signature covers the exact bytes, and Vert.x' body handler
 * would decode a form body (GitHub's default encoding) into attributes of at most 8 KB each, refusing a real push
 * with "Size exceed allowed maximum capacity". The bytes are put on the context under {@link #RAW}.
 */
final class HookBodies implements Handler<RoutingContext> {
    /** GitHub caps a payload at 25 MB; form encoding of JSON (%22, %3A …) can nearly double it. */
    static final long LIMIT = 64L << 20;
    static final String RAW = "stoker.hookBody";
    /** A body above this is large: it counts against {@link #HELD}. Pushes are a few kilobytes. */
    static final long LARGE = 1L << 20;
    /**
     * The bytes of large bodies read or held at once, before any signature is checked (a body announced by its
     * Content-Length counts that much from its first byte): 16 unsigned 60 MB deliveries at once took 3.5 GB.
     */
    static final long HELD = 4 * LIMIT;

    private final java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader("Content-Length");
        long announced = declared != null && declared.matches("\\d{1,18}") ? Long.parseLong(declared) : -1;
        if (announced > LIMIT) {
            refuse(ctx);
            return;
        }
        long[] reserved = {0};
        ctx.addEndHandler(done -> held.addAndGet(-reserved[0])); // once, when the answer ends or the connection closes
        if (announced > LARGE && !reserve(announced, reserved)) {
            busy(ctx);
            return;
        }
        // the body is kept as the chunks came and copied once into an array of its size at the end: a growing buffer
        // doubles and copies as it goes, so a 60 MB body held about 250 MB while it was read
        List<Buffer> chunks = new ArrayList<>();
        long[] length = {0};
        boolean[] failed = {false};
        request.handler(chunk -> {
            if (failed[0]) return;
            if (length[0] + (long) chunk.length() > LIMIT) {
                failed[0] = true;
                chunks.clear();
                refuse(ctx);
                return;
            }
            chunks.add(chunk);
            length[0] += chunk.length();
            // a body of unannounced length counts as the largest one once it is large
            if (length[0] > LARGE && reserved[0] == 0 && !reserve(LIMIT, reserved)) {
                failed[0] = true;
                chunks.clear();
                busy(ctx);
            }
        });
        request.exceptionHandler(e -> {
            if (!failed[0]) {
                failed[0] = true;
                chunks.clear();
                ctx.fail(Problem.badRequest("the request body cannot be read: " + e.getMessage()));
            }
        });
        request.endHandler(v -> {
            if (failed[0]) return;
            byte[] body = new byte[(int) length[0]];
            int at = 0;
            for (Buffer chunk : chunks) {
                chunk.getBytes(0, chunk.length(), body, at);
                at += chunk.length();
            }
            chunks.clear();
            ctx.put(RAW, body);
            ctx.next();
        });
        request.resume();
    }

    private boolean reserve(long bytes, long[] reserved) {
        if (held.addAndGet(bytes) > HELD) {
            held.addAndGet(-bytes);
            return false;
        }
        reserved[0] = bytes;
        return true;
    }

    /** Answers 503 at once and closes the connection: as many large bodies are being read as the server holds. */
    private static void busy(RoutingContext ctx) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("error", "service unavailable");
        problem.put("message", "the server is reading as many large webhook bodies as it holds at once ("
                + (HELD >> 20) + " MB); deliver it again shortly");
        problem.put("details", List.of());
        ctx.response().setStatusCode(503).putHeader("retry-after", "10").putHeader("content-type", "application/json")
                .putHeader("connection", "close").end(Json.encode(problem))
                .onComplete(done -> ctx.request().connection().close());
    }

    /**
     * Answers 413 at once and closes the connection: the rest of the body is never read, and an HTTP/1.1
     * connection with an unread body could not carry another request anyway.
     */
    private static void refuse(RoutingContext ctx) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("error", "payload too large");
        problem.put("message", "a webhook body may be at most " + (LIMIT >> 20) + " MB");
        problem.put("details", List.of());
        ctx.response().setStatusCode(413).putHeader("content-type", "application/json").putHeader("connection", "close")
                .end(Json.encode(problem)).onComplete(done -> ctx.request().connection().close());
    }
}
