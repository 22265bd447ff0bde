package io.stoker.server.api;

import io.stoker.server.db.Json;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
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
        return end(ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8"),
                Json.write(body));
    }

    /** Ends with {@code body} as UTF-8 (see {@link #end(HttpServerResponse, Buffer)}). */
    public static Future<Void> end(HttpServerResponse response, String body) {
        return end(response, Buffer.buffer(body, "UTF-8"));
    }

    /**
     * Ends with {@code body}, its length in {@code content-length}: Vert.x leaves the header out of a HEAD's answer
     * (it drops the body), but HEAD must answer the headers GET does, length included, for {@code curl -I}.
     */
    public static Future<Void> end(HttpServerResponse response, Buffer body) {
        return response.putHeader("content-length", String.valueOf(body.length())).end(body);
    }

    /**
     * Answers 201 with the value and a {@code Location} header naming what was made ({@code path} of the value, under
     * the API), so a client can follow it as HTTP says, without building the URL itself.
     */
    public static <T> void created(RoutingContext ctx, Future<T> future, java.util.function.Function<T, String> path) {
        future.onSuccess(v -> {
            located(ctx, path.apply(v));
            json(ctx, 201, v);
        }).onFailure(ctx::fail);
    }

    /** Sets the {@code Location} of a 201 to {@code path} under the API. */
    static void located(RoutingContext ctx, String path) {
        if (!ctx.response().headWritten()) ctx.response().putHeader("Location", ApiRouter.PREFIX + path);
    }

    /** Answers with {@code status} and the value, or hands a failure to the failure handler. */
    public static <T> void answer(RoutingContext ctx, Future<T> future, int status) {
        future.onSuccess(v -> json(ctx, status, v)).onFailure(ctx::fail);
    }
}
