package io.stoker.server.auth;

import io.stoker.server.Problem;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * Route-level access checks. The authentication middleware puts the caller's {@link Principal} on the routing
 * context; handlers ask for the role they need.
 *
 * <p>CONTRACT (lead): until the auth middleware is merged, a request without a principal counts as an admin
 * (the server binds 127.0.0.1 only); the auth work removes that fallback.
 */
public final class Access {
    /** Routing-context key of the caller's {@link Principal}. */
    public static final String PRINCIPAL = "stoker.principal";

    private Access() {
    }

    /** The caller. */
    public static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(PRINCIPAL);
        return p != null ? p : new Principal("admin", Role.ADMIN);
    }

    /** The caller, when it has at least {@code role}; else a 403 problem. */
    public static Principal require(RoutingContext ctx, Role role) {
        Principal p = principal(ctx);
        if (!p.role().atLeast(role)) {
            throw new Problem(403, "forbidden", "this needs the " + role.name().toLowerCase() + " role",
                    List.of("role: " + p.role().name().toLowerCase()));
        }
        return p;
    }
}
