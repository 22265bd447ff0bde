package io.stoker.server.metrics;

import io.stoker.server.auth.AuthService;
import io.stoker.server.auth.Authenticator;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: the registry in Prometheus' text format. Any authenticated user's token may scrape (a 401
 * otherwise), or anyone when the server runs with {@code --metrics-public}.
 */
public final class MetricsRoute {
    /** The content type of Prometheus' text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private MetricsRoute() {
    }

    public static void mount(Router root, StokerMetrics metrics, AuthService auth, boolean open) {
        // ahead of the web console's catch-all
        root.get("/metrics").order(-1).handler(ctx -> {
            if (open) {
                serve(ctx, metrics);
                return;
            }
            auth.authenticate(Authenticator.bearer(ctx.request().getHeader("Authorization")))
                    .onSuccess(a -> serve(ctx, metrics))
                    .onFailure(ctx::fail);
        });
    }

    private static void serve(RoutingContext ctx, StokerMetrics metrics) {
        // gauges read the database and the agent pool: off the event loop
        ctx.vertx().executeBlocking(metrics::scrape, false)
                .onSuccess(text -> io.stoker.server.api.Replies.end(ctx.response().putHeader("content-type", CONTENT_TYPE), text))
                .onFailure(ctx::fail);
    }
}
