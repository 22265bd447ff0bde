package io.stoker.server.api;

import io.stoker.server.Problem;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * Reads a webhook's body raw, up to {@link #LIMIT}: the signature covers the exact bytes, and Vert.x' body handler
 * would decode a form body (GitHub's default encoding) into attributes of at most 8 KB each, refusing a real push
 * with "Size exceed allowed maximum capacity". The bytes are put on the context under {@link #RAW}.
 */
final class HookBodies implements Handler<RoutingContext> {
    /** GitHub caps a payload at 25 MB; form encoding of JSON (%22, %3A …) can nearly double it. */
    static final long LIMIT = 64L << 20;
    static final String RAW = "stoker.hookBody";

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader("Content-Length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > LIMIT) {
            ctx.fail(tooLarge());
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] failed = {false};
        request.handler(chunk -> {
            if (failed[0]) return;
            if (body.length() + (long) chunk.length() > LIMIT) {
                failed[0] = true;
                ctx.fail(tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> {
            if (!failed[0]) {
                failed[0] = true;
                ctx.fail(Problem.badRequest("the request body cannot be read: " + e.getMessage()));
            }
        });
        request.endHandler(v -> {
            if (failed[0]) return;
            ctx.put(RAW, body.getBytes());
            ctx.next();
        });
        request.resume();
    }

    private static Problem tooLarge() {
        return new Problem(413, "payload too large", "a webhook body may be at most " + (LIMIT >> 20) + " MB",
                List.of());
    }
}
