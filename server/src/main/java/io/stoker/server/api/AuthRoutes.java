package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.ProjectMembers;
import io.stoker.server.auth.ApiToken;
import io.stoker.server.auth.AuthService;
import io.stoker.server.auth.Authenticator;
import io.stoker.server.auth.Principal;
import io.stoker.server.auth.Role;
import io.stoker.server.auth.Tokens;
import io.stoker.server.auth.User;
import io.stoker.server.auth.Users;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Sessions and tokens: {@code POST /login}, {@code POST /token/refresh}, {@code POST /logout}, {@code GET /me},
 * and the caller's named API tokens under {@code /tokens}.
 */
final class AuthRoutes {
    private final AuthService auth;
    private final ProjectMembers members;

    AuthRoutes(AuthService auth, ProjectMembers members) {
        this.auth = auth;
        this.members = members;
    }

    void mount(Router api) {
        api.post("/login").handler(this::login);
        api.post("/token/refresh").handler(this::refresh);
        api.post("/logout").handler(this::logout);
        // with the projects the caller is a member of: the pages offer Build, Rerun and Cancel only where they may
        api.get("/me").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            Principal p = Access.principal(ctx);
            String me = p.username();
            Map<String, Object> m = user(auth.users().get(me));
            // the role the caller acts with: a token limited to a role says that one, not its user's
            m.put("role", Users.roleName(p.role()));
            m.put("memberOf", members.projectsOf(me));
            return m;
        }), 200));
        api.post("/tokens").handler(this::createToken);
        api.get("/tokens").handler(this::listTokens);
        api.delete("/tokens/:name").handler(this::revokeToken);
    }

    private void login(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, Set.of("username", "password"));
        String username = Bodies.string(body, "username");
        String password = Bodies.string(body, "password");
        if (username == null) throw Problem.badRequest("'username' is required", "field: username");
        if (password == null) throw Problem.badRequest("'password' is required", "field: password");
        String address = address(ctx);
        Replies.blocking(ctx, () -> auth.login(username, password, address))
                .onSuccess(t -> tokens(ctx, t))
                .onFailure(ctx::fail); // too many failed logins: the failure handler adds Retry-After
    }

    private void refresh(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, Set.of("refreshToken"));
        String token = Bodies.string(body, "refreshToken");
        String address = address(ctx);
        Replies.blocking(ctx, () -> auth.refresh(token, address)).onSuccess(t -> tokens(ctx, t)).onFailure(ctx::fail);
    }

    private void logout(RoutingContext ctx) {
        JsonObject body = Bodies.optionalObject(ctx, Set.of("refreshToken"));
        String token = Bodies.string(body, "refreshToken");
        AuthService.Authenticated caller = new AuthService.Authenticated(Access.requireUnlimited(ctx, "log out"),
                ctx.get(Authenticator.TOKEN_ID));
        Replies.blocking(ctx, () -> {
            auth.logout(caller, token);
            return null;
        }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private void createToken(RoutingContext ctx) {
        Principal p = Access.requireUnlimited(ctx, "make tokens");
        JsonObject body = Bodies.object(ctx, Set.of("name", "expiresInDays", "role"));
        String name = Bodies.string(body, "name");
        Role role = Users.role(Bodies.string(body, "role"));
        Long days = Bodies.wholeNumber(body, "expiresInDays", 1, AuthService.MAX_TOKEN_DAYS);
        Integer d = days == null ? null : days.intValue();
        Replies.blocking(ctx, () -> auth.createApiToken(p.username(), name, d, role)).onSuccess(t -> {
            Map<String, Object> view = token(t.info());
            view.put("token", t.token());
            // a token's value is never shown again: the Location is the caller's list it joins
            Replies.located(ctx, "/tokens");
            Replies.json(ctx, 201, view);
        }).onFailure(ctx::fail);
    }

    private void listTokens(RoutingContext ctx) {
        String user = whose(ctx);
        Replies.answer(ctx, Replies.blocking(ctx, () -> auth.apiTokens(user).stream().map(AuthRoutes::token).toList()), 200);
    }

    private void revokeToken(RoutingContext ctx) {
        Principal p = Access.requireUnlimited(ctx, "revoke tokens");
        String user = whose(ctx);
        Replies.blocking(ctx, () -> {
            auth.revokeApiToken(p.username(), user, ctx.pathParam("name"));
            return null;
        }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    /** The caller's own name, or {@code ?user=} for admins (someone else's tokens). */
    private static String whose(RoutingContext ctx) {
        Principal p = Access.principal(ctx);
        String user = ctx.queryParams().get("user");
        if (user == null || user.equals(p.username())) return p.username();
        if (user.isBlank()) throw Bodies.empty("user", "a user name, or leave it out for your own tokens");
        Access.require(ctx, Role.ADMIN);
        return user;
    }

    private static void tokens(RoutingContext ctx, Tokens t) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", t.token());
        body.put("refreshToken", t.refreshToken());
        body.put("expiresIn", t.expiresIn());
        ctx.response().putHeader("Authorization", "Bearer " + t.token()).putHeader("Cache-Control", "no-store");
        Replies.json(ctx, 200, body);
    }

    static Map<String, Object> user(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", u.username());
        m.put("role", Users.roleName(u.role()));
        m.put("enabled", u.enabled());
        m.put("createdAt", u.createdAt().toString());
        return m;
    }

    static Map<String, Object> token(ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("user", t.username());
        m.put("createdAt", t.createdAt().toString());
        m.put("lastUsedAt", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
        m.put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
        m.put("role", t.role() == null ? null : Users.roleName(t.role()));
        return m;
    }

    static String address(RoutingContext ctx) {
        return ClientAddress.of(ctx);
    }
}
