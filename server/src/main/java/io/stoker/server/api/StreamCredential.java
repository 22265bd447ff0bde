package io.stoker.server.api;

import io.stoker.server.Refused;
import io.stoker.server.auth.AuthService;
import io.stoker.server.auth.Authenticator;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Consumer;

/**
 * The bearer token an open stream ({@code /events}, a followed log) was let in with, checked again while the stream
 * lasts. A request is authenticated once, but a stream outlives it: without this, a revoked token, a deleted or
 * disabled user, a logout or a password change would go on receiving events and log lines for as long as the
 * client stays connected. The check is the one every request gets ({@link AuthService#authenticate}), every
 * {@link #CHECK_MILLIS} rather than per event: for an access token it is a signature and a look at memory, but an
 * API token is a database read.
 */
final class StreamCredential {
    static final long CHECK_MILLIS = 2_000;

    private StreamCredential() {
    }

    /**
     * Checks the request's token every {@link #CHECK_MILLIS} on the request's context and, once it is refused, calls
     * {@code refused} there with the reason (once); returns what stops the checking, for when the stream ends.
     */
    static Runnable watch(RoutingContext ctx, AuthService auth, Consumer<String> refused) {
        String bearer = Authenticator.bearer(ctx.request().getHeader("Authorization"));
        Vertx vertx = ctx.vertx();
        Context context = vertx.getOrCreateContext();
        boolean[] over = {false};
        boolean[] checking = {false};
        long timer = vertx.setPeriodic(CHECK_MILLIS, id -> {
            if (over[0] || checking[0]) return; // a slow database: one check at a time
            checking[0] = true;
            auth.authenticate(bearer).onComplete(ar -> context.runOnContext(v -> {
                checking[0] = false;
                // only a refusal ends the stream: a database that failed to answer says nothing about the token
                if (over[0] || ar.succeeded() || !(ar.cause() instanceof Refused.Unauthenticated)) return;
                over[0] = true;
                vertx.cancelTimer(id);
                refused.accept(ar.cause().getMessage());
            }));
        });
        return () -> context.runOnContext(v -> {
            over[0] = true;
            vertx.cancelTimer(timer);
        });
    }
}
