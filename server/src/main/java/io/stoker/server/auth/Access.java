package io.stoker.server.auth;

import io.stoker.server.Refused;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * Route-level access checks. The authentication middleware ({@link Authenticator}) puts the caller's
 * {@link Principal} on the routing context of every request it lets through; handlers ask for the role they need.
 */
public final class Access {
    /** Routing-context key of the caller's {@link Principal}. */
    public static final String PRINCIPAL = "stoker.principal";

    private Access() {
    }

    /** The caller; a 401 problem when the request carries none (a route outside the middleware's reach). */
    public static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(PRINCIPAL);
        if (p == null) throw AuthService.unauthorized("this needs a bearer token: log in first");
        return p;
    }

    /**
     * The caller, unless its token is limited to a role ({@link Principal#limited}): {@code what} (making tokens,
     * changing the password, …) needs a login or a token without a limit, so a leaked limited token leads to no more.
     */
    public static Principal requireUnlimited(RoutingContext ctx, String what) {
        Principal p = principal(ctx);
        if (p.limited()) {
            throw new Refused.Forbidden("a token limited to the " + p.role().name().toLowerCase() + " role cannot "
                    + what, List.of("use a login or a token without a role"));
        }
        return p;
    }

    /** The caller, when it has at least {@code role}; else {@link Refused.Forbidden}. */
    public static Principal require(RoutingContext ctx, Role role) {
        Principal p = principal(ctx);
        if (!p.role().atLeast(role)) {
            throw new Refused.Forbidden("this needs the " + role.name().toLowerCase() + " role", List.of("role: " + p.role().name().toLowerCase()));
        }
        return p;
    }
}
