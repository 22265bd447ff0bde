package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.AuthService;
import io.stoker.server.auth.Principal;
import io.stoker.server.auth.ProjectMembers;
import io.stoker.server.auth.Role;
import io.stoker.server.auth.Users;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * People ({@code /users}: admins only, except reading yourself and changing your own password) and project
 * membership ({@code /projects/{p}/members}: anyone reads; members and admins change, enforced by the
 * {@link io.stoker.server.auth.Authenticator}).
 */
final class UserRoutes {
    private final AuthService auth;
    private final Users users;
    private final ProjectMembers members;
    private final AuditLog audit;
    private final Clock clock;

    UserRoutes(AuthService auth, ProjectMembers members, AuditLog audit, Clock clock) {
        this.auth = auth;
        this.users = auth.users();
        this.members = members;
        this.audit = audit;
        this.clock = clock;
    }

    void mount(Router api) {
        api.post("/users").handler(this::create);
        api.get("/users").handler(ctx -> {
            Access.require(ctx, Role.ADMIN);
            Replies.json(ctx, 200, users.list().stream().map(AuthRoutes::user).toList());
        });
        api.get("/users/:name").handler(ctx -> {
            String name = ctx.pathParam("name");
            if (!Access.principal(ctx).username().equals(name)) Access.require(ctx, Role.ADMIN);
            Replies.json(ctx, 200, AuthRoutes.user(users.get(name)));
        });
        api.delete("/users/:name").handler(ctx -> {
            Principal p = Access.require(ctx, Role.ADMIN);
            Replies.blocking(ctx, () -> {
                users.delete(p.username(), ctx.pathParam("name"));
                return null;
            }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
        });
        api.put("/users/:name/password").handler(this::password);
        api.post("/users/:name/disable").handler(ctx -> enabled(ctx, false));
        api.post("/users/:name/enable").handler(ctx -> enabled(ctx, true));
        api.put("/users/:name/role").handler(ctx -> {
            Principal p = Access.require(ctx, Role.ADMIN);
            Role role = Users.role(Bodies.string(Bodies.object(ctx, Set.of("role")), "role"));
            Replies.answer(ctx, Replies.blocking(ctx,
                    () -> AuthRoutes.user(users.setRole(p.username(), ctx.pathParam("name"), role))), 200);
        });

        api.get("/projects/:project/members").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx,
                () -> Map.of("project", ctx.pathParam("project"), "members", members.members(ctx.pathParam("project")))), 200));
        api.put("/projects/:project/members/:user").handler(ctx -> member(ctx, true));
        api.delete("/projects/:project/members/:user").handler(ctx -> member(ctx, false));
    }

    private void create(RoutingContext ctx) {
        Principal p = Access.require(ctx, Role.ADMIN);
        JsonObject body = Bodies.object(ctx, Set.of("username", "password", "role"));
        String username = Bodies.string(body, "username");
        String password = Bodies.string(body, "password");
        Role role = Users.role(Bodies.string(body, "role"));
        Replies.created(ctx, Replies.blocking(ctx, () -> AuthRoutes.user(users.create(p.username(), username, password, role))),
                v -> "/users/" + v.get("username"));
    }

    private void password(RoutingContext ctx) {
        Principal p = Access.requireUnlimited(ctx, "change a password");
        String name = ctx.pathParam("name");
        boolean self = p.username().equals(name);
        if (!self) Access.require(ctx, Role.ADMIN);
        JsonObject body = Bodies.object(ctx, Set.of("password", "oldPassword"));
        String password = Bodies.string(body, "password");
        String old = Bodies.string(body, "oldPassword");
        String address = AuthRoutes.address(ctx);
        Replies.blocking(ctx, () -> {
            // your own: the current password is checked under the login limits; an admin's change of another's is not
            if (self) auth.changeOwnPassword(name, old, password, address);
            else users.changePassword(p.username(), name, password);
            return null;
        }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private void enabled(RoutingContext ctx, boolean enabled) {
        Principal p = Access.require(ctx, Role.ADMIN);
        Replies.answer(ctx, Replies.blocking(ctx,
                () -> AuthRoutes.user(users.setEnabled(p.username(), ctx.pathParam("name"), enabled))), 200);
    }

    private void member(RoutingContext ctx, boolean add) {
        Principal p = Access.require(ctx, Role.DEVELOPER);
        String project = ctx.pathParam("project");
        String user = ctx.pathParam("user");
        // a role sent here was dropped without a word, and the member kept the role the user has everywhere
        if (add) Bodies.none(ctx, "a member has no fields: membership lets a user change this project with the role"
                + " the user has (PUT /users/{name}/role, admins only, sets it)");
        Replies.blocking(ctx, () -> {
            if (add) {
                if (users.find(user).isEmpty()) throw Problem.notFound("no user '" + user + "'");
                if (members.add(project, user, clock.instant())) {
                    audit.record(p.username(), "member.added", project + "/" + user, Map.of());
                }
            } else {
                if (!members.remove(project, user)) throw Problem.notFound("'" + user + "' is not a member of '" + project + "'");
                audit.record(p.username(), "member.removed", project + "/" + user, Map.of());
            }
            return Map.of("project", project, "members", members.members(project));
        }).onSuccess(v -> Replies.json(ctx, 200, v)).onFailure(ctx::fail);
    }
}
