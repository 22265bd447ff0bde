package io.stoker.server.api;

import io.stoker.server.http.TrustedProxies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Puts each request's client address (the connection's, or behind a {@link TrustedProxies trusted proxy} the one it
 * forwarded) in the routing context, where the login limiter and the audit log read it with {@link #of}.
 */
public final class ClientAddress implements Handler<RoutingContext> {
    private static final String KEY = "stoker.clientAddress";

    private final TrustedProxies proxies;

    public ClientAddress(TrustedProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    public void handle(RoutingContext ctx) {
        var a = ctx.request().remoteAddress();
        String peer = a == null || a.hostAddress() == null ? "unknown" : a.hostAddress();
        ctx.put(KEY, proxies.client(peer, ctx.request().headers().getAll("X-Forwarded-For")));
        ctx.next();
    }

    /** The request's client address; the connection's when no handler set one. */
    static String of(RoutingContext ctx) {
        String set = ctx.get(KEY);
        if (set != null) return set;
        var a = ctx.request().remoteAddress();
        return a == null || a.hostAddress() == null ? "unknown" : a.hostAddress();
    }
}
