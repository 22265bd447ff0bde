package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.ProjectMembers;
import io.stoker.server.auth.Principal;
import io.stoker.server.auth.Role;
import io.stoker.server.auth.Users;
import io.stoker.server.secret.SecretInfo;
import io.stoker.server.secret.SecretInput;
import io.stoker.server.secret.SecretScope;
import io.stoker.server.secret.SecretSource;
import io.stoker.server.secret.SecretStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /secrets}: create, replace, list and delete named secrets, global or of one project ({@code ?project=}).
 * No answer ever carries a value. Global secrets need the admin role, project secrets the developer role and
 * membership of the project, to list them as to change them; every write goes to the audit log (without the value).
 */
public final class SecretRoutes {
    private static final Set<String> CREATE = Set.of("name", "value", "project", "vault", "projects");
    private static final Set<String> REPLACE = Set.of("value", "vault", "projects");
    private static final Set<String> VAULT = Set.of("path", "key");

    private final SecretStore store;
    private final AuditLog audit;

    private final ProjectMembers members;

    public SecretRoutes(SecretStore store, AuditLog audit, ProjectMembers members) {
        this.store = store;
        this.audit = audit;
        this.members = members;
    }

    /**
     * A Vault reference is read with the server's own Vault token, so it may name any path that token reaches: only
     * an admin may store one, even in a project's scope (else a developer could read another team's Vault secrets).
     */
    private static void checkVault(Principal who, SecretInput in) {
        if (in.source() instanceof SecretSource.VaultRef && who.role() != Role.ADMIN) {
            throw new Problem(403, "forbidden", "only an admin may store a Vault reference: the server reads it with its own Vault token",
                    List.of("role: " + Users.roleName(who.role()), "field: vault"));
        }
    }

    /**
     * A developer lists and changes only the secrets of projects it is a member of (like the projects themselves);
     * {@code verb} says which, in the refusal.
     */
    private void checkMember(Principal who, SecretScope scope, String verb) throws java.sql.SQLException {
        if (scope.isGlobal() || who.role() == Role.ADMIN) return;
        String project = scope.project();
        if (members.projectExists(project) && !members.isMember(project, who.username())) {
            throw new Problem(403, "forbidden", "you are not a member of project '" + project + "'",
                    List.of("members and admins may " + verb + " a project's secrets; ask one to add you"));
        }
    }

    void mount(Router api) {
        api.post("/secrets").handler(this::create);
        api.get("/secrets").handler(ctx -> {
            SecretScope scope = scope(ctx, queryProject(ctx));
            Principal who = Access.principal(ctx);
            Replies.answer(ctx, Replies.blocking(ctx, () -> {
                checkMember(who, scope, "list");
                return store.list(scope).stream().map(SecretRoutes::view).toList();
            }), 200);
        });
        api.put("/secrets/:name").handler(this::replace);
        api.delete("/secrets/:name").handler(ctx -> {
            String name = pathName(ctx);
            SecretScope scope = scope(ctx, queryProject(ctx));
            Principal who = Access.principal(ctx);
            Replies.blocking(ctx, () -> {
                checkMember(who, scope, "change");
                store.delete(scope, name);
                audit.record(who.username(), "secret.deleted", name, detail(scope));
                return null;
            }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
        });
    }

    private void create(RoutingContext ctx) {
        JsonObject o = Bodies.object(ctx, CREATE);
        String project = Bodies.string(o, "project");
        if (project != null && project.isEmpty()) throw Problem.badRequest("'project' must name a project", "field: project");
        SecretScope scope = scope(ctx, project);
        SecretInput in = new SecretInput(Bodies.string(o, "name"), scope, source(o), grants(o));
        Principal who = Access.principal(ctx);
        checkVault(who, in);
        // a value is never shown again, so a secret has no URL of its own: the Location is the list it joins
        Replies.created(ctx, Replies.blocking(ctx, () -> {
            checkMember(who, scope, "change");
            SecretInfo info = store.create(in, who.username());
            audit.record(who.username(), "secret.created", in.name(), detail(info));
            return view(info);
        }), v -> scope.isGlobal() ? "/secrets" : "/secrets?project=" + scope.project());
    }

    private void replace(RoutingContext ctx) {
        JsonObject o = Bodies.object(ctx, REPLACE, Set.of("projects"));
        SecretScope scope = scope(ctx, queryProject(ctx));
        // "projects" absent keeps who may read it (a rotation must not widen access); null opens it to every project
        boolean replaceGrants = o.containsKey("projects");
        String name = pathName(ctx);
        Principal who = Access.principal(ctx);
        if (o.getValue("value") == null && o.getValue("vault") == null) {
            if (!scope.isGlobal() || !replaceGrants) {
                throw Problem.badRequest("'value' is required (or 'vault' for a secret kept in Vault)" + (scope.isGlobal()
                        ? "; or give 'projects' alone to change only which projects may read it" : ""), "field: value");
            }
            regrant(ctx, who, name, grants(o));
            return;
        }
        SecretInput in = new SecretInput(name, scope, source(o), grants(o));
        checkVault(who, in);
        List<String> changed = new ArrayList<>(List.of(in.source() instanceof SecretSource.VaultRef ? "vault" : "value"));
        if (replaceGrants) changed.add("projects");
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            checkMember(who, scope, "change");
            SecretInfo info = store.replace(in, replaceGrants, who.username());
            audit.record(who.username(), "secret.updated", in.name(), detail(info, changed));
            return view(info);
        }), 200);
    }

    /**
     * A global secret's PUT with {@code projects} and no value: only who may read it changes. The value is never
     * shown, so needing it here would let only whoever still has it change the grants.
     */
    private void regrant(RoutingContext ctx, Principal who, String name, List<String> grants) {
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            SecretInfo info = store.grant(name, grants, who.username());
            audit.record(who.username(), "secret.updated", name, detail(info, List.of("projects")));
            return view(info);
        }), 200);
    }

    /** The scope, once the caller is allowed to touch it: global needs admin, a project's needs developer. */
    private static SecretScope scope(RoutingContext ctx, String project) {
        SecretScope scope = SecretScope.of(project);
        Access.require(ctx, scope.isGlobal() ? Role.ADMIN : Role.DEVELOPER);
        return scope;
    }

    private static String queryProject(RoutingContext ctx) {
        String p = ctx.queryParams().get("project"); // given twice: the API router's 400 already
        if (p == null) return null;
        if (p.isEmpty()) throw Problem.badRequest("'project' must name a project", "field: project");
        return p;
    }

    private static String pathName(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        SecretInput.checkName(name);
        return name;
    }

    private static SecretSource source(JsonObject o) {
        boolean hasValue = o.getValue("value") != null;
        Object vault = o.getValue("vault");
        if (hasValue && vault != null) {
            throw Problem.badRequest("give 'value' or 'vault', not both", "field: vault");
        }
        if (vault != null) {
            if (!(vault instanceof JsonObject v)) throw Problem.badRequest("'vault' must be an object {\"path\", \"key\"}", "field: vault");
            for (String f : v.fieldNames()) {
                if (!VAULT.contains(f)) throw Problem.badRequest("unknown field 'vault." + f + "'", "known fields: key, path");
            }
            return new SecretSource.VaultRef(Bodies.string(v, "path"), Bodies.string(v, "key"));
        }
        if (!hasValue) throw Problem.badRequest("'value' is required (or 'vault' for a secret kept in Vault)", "field: value");
        return new SecretSource.Value(Bodies.string(o, "value"));
    }

    /** Null when left out or null: every project may read it (a PUT keeps the grants only when it is left out). */
    private static List<String> grants(JsonObject o) {
        return o.getValue("projects") == null ? null : Bodies.names(o, "projects", "project names");
    }

    private static Map<String, Object> detail(SecretScope scope) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scope", scope.label());
        if (!scope.isGlobal()) m.put("project", scope.project());
        return m;
    }

    private static Map<String, Object> detail(SecretInfo info) {
        Map<String, Object> m = detail(info.scope());
        m.put("source", info.vault() == null ? "value" : "vault");
        if (info.grants() != null) m.put("projects", info.grants());
        return m;
    }

    /** An update's detail: {@code changed} names what it changed ({@code value} or {@code vault}, {@code projects}). */
    private static Map<String, Object> detail(SecretInfo info, List<String> changed) {
        Map<String, Object> m = detail(info);
        m.put("changed", changed);
        return m;
    }

    static Map<String, Object> view(SecretInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("scope", s.scope().label());
        if (!s.scope().isGlobal()) m.put("project", s.scope().project());
        m.put("source", s.vault() == null ? "value" : "vault");
        if (s.vault() != null) m.put("vault", Map.of("path", s.vault().path(), "key", s.vault().key()));
        if (s.scope().isGlobal()) m.put("projects", s.grants()); // null: every project may read it
        m.put("createdAt", s.createdAt().toString());
        m.put("updatedAt", s.updatedAt().toString());
        m.put("createdBy", s.createdBy());
        m.put("updatedBy", s.updatedBy());
        return m;
    }
}
