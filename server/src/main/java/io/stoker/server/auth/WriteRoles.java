package io.stoker.server.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The role a write needs, for the middleware's refusal of a viewer: the developer role, but the admin role for the
 * writes only admins may make. Without it a viewer who tried to disable a user was told to get the developer role,
 * which would not have been enough. The routes check their role again; {@code RoleRefusalsSpec} holds this list to
 * the OpenAPI document's {@code x-stoker-role}.
 */
final class WriteRoles {
    /** As the OpenAPI document names them; global secrets are told apart below, by their scope. */
    private static final List<AdminWrite> ADMIN_WRITES = java.util.stream.Stream.of(
            "POST /users", "DELETE /users/{name}", "POST /users/{name}/disable", "POST /users/{name}/enable",
            "PUT /users/{name}/role", "POST /agents", "DELETE /agents/{agent}", "POST /agents/{agent}/install",
            "PUT /agents/{agent}/host-key", "POST /agent-tokens", "DELETE /agent-tokens/{name}",
            "POST /hooks/secret/rotate", "DELETE /projects/{project}/versions/{version}",
            "PUT /projects/{project}/host-access").map(AdminWrite::of).toList();

    private static final Pattern SECRETS = Pattern.compile("/secrets(/[^/]+)?");

    private WriteRoles() {
    }

    /** The least role that may make this write ({@code path} below the API's mount point). */
    static Role needed(RoutingContext ctx, String path) {
        HttpMethod method = ctx.request().method();
        if (SECRETS.matcher(path).matches()) return globalSecret(ctx, method) ? Role.ADMIN : Role.DEVELOPER;
        for (AdminWrite w : ADMIN_WRITES) {
            if (w.method().equals(method) && w.path().matcher(path).matches()) return Role.ADMIN;
        }
        return Role.DEVELOPER;
    }

    /** A global secret's write: no {@code ?project=} (PUT, DELETE) or no {@code project} in a create's body. */
    private static boolean globalSecret(RoutingContext ctx, HttpMethod method) {
        if (method != HttpMethod.POST) return ctx.queryParams().get("project") == null;
        try {
            JsonObject body = ctx.body().asJsonObject();
            return body == null || body.getValue("project") == null;
        } catch (RuntimeException notAnObject) {
            return false; // the route answers 400 for it; the developer role is the least that gets that far
        }
    }

    /** A write only admins may make: its method and path pattern. */
    private record AdminWrite(HttpMethod method, Pattern path) {
        /** From {@code "METHOD /path/{param}"}. */
        static AdminWrite of(String operation) {
            String[] parts = operation.split(" ");
            return new AdminWrite(HttpMethod.valueOf(parts[0]), Pattern.compile(parts[1].replaceAll("\\{[^/]+}", "[^/]+")));
        }
    }
}
