package io.stoker.server.api;

import io.stoker.server.db.Json;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.Callable;

/** Small pieces every route uses: blocking work off the event loop, JSON answers. */
public final class Replies {
    private Replies() {
    }

    /** Runs JDBC, git or compile work on a worker thread (unordered: requests do not wait for each other). */
    public static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        return ctx.vertx().executeBlocking(work, false);
    }

    /** Answers with {@code status} and the body as JSON; the future completes once it is written (or could not be). */
    public static Future<Void> json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) return Future.succeededFuture();
        return ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .end(Json.write(body));
    }

    /** Answers with {@code status} and the value, or hands a failure to the failure handler. */
    public static <T> void answer(RoutingContext ctx, Future<T> future, int status) {
        future.onSuccess(v -> json(ctx, status, v)).onFailure(ctx::fail);
    }
}
