package io.stoker.server.auth;

import io.stoker.server.Refused;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The middleware in front of every {@code /api/v1} route but the open ones (login, refresh, the OpenAPI document
 * and {@code POST /hooks/*}: signed webhooks, and generic ones that carry their own token): it turns the {@code Authorization: Bearer} token (or, on a GET
 * without one, a download link's {@code ?download=} ticket for exactly that path) into a {@link Principal} on the context (401 when missing or invalid) and applies the coarse rules every route shares
 * (403 when they fail):
 * <ul>
 *   <li>reads ({@code GET}, {@code HEAD}) need a viewer;</li>
 *   <li>writes need a developer (the refusal names the admin role for an admin's write: {@link WriteRoles}), except a user's own session and tokens ({@code POST /logout},
 *       {@code POST /tokens}, {@code DELETE /tokens/{name}}, {@code PUT /users/{name}/password});</li>
 *   <li>a developer's writes under {@code /projects/{p}} and {@code /runs/{key}} need membership of that project
 *       (admins may do anything).</li>
 * </ul>
 * Routes for admins only (users, audit, secrets, agents) also call {@link Access#require} themselves.
 */
public final class Authenticator implements Handler<RoutingContext> {
    /** Routing-context key of the access token's id (jti), for logout; absent for API tokens. */
    public static final String TOKEN_ID = "stoker.tokenId";
    /** The query parameter of a download link's ticket. */
    public static final String DOWNLOAD_TICKET = "download";
    /** {@code /agents/connect} is for pull agents, which prove themselves with an agent token (its route checks it). */
    private static final Set<String> OPEN = Set.of("/login", "/token/refresh", "/openapi.json", "/agents/connect");
    /** The push webhook endpoints ({@code /hooks/github} …); {@code /hooks/secret} is an admin route like any other. */
    private static final Set<String> HOOKS = java.util.Arrays.stream(io.stoker.server.forge.GitHost.values())
            .map(h -> "/hooks/" + h.path()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Every request is asked whether it is a hook: compiled once, and only for paths under /hooks/. */
    private static final java.util.regex.Pattern GENERIC_HOOK = java.util.regex.Pattern.compile("/hooks/generic/[^/]+/[^/]+");

    /** A hook URL of one segment: a git host's, or one mistyped or guessed ({@code /hooks/forgejo}). */
    private static final java.util.regex.Pattern ONE_SEGMENT_HOOK = java.util.regex.Pattern.compile("/hooks/[^/]+");

    private static final java.util.regex.Pattern BADGE =
            java.util.regex.Pattern.compile("/projects/[^/]+/jobs/[^/]+/badge\\.svg");

    private final AuthService auth;
    private final ProjectMembers members;
    private final RunProjects runs;

    /** Which project a run belongs to (blocking); {@link io.stoker.server.Refused.NotFound} for an unknown run. */
    @FunctionalInterface
    public interface RunProjects {
        String projectOf(String runKey) throws Exception;
    }

    public Authenticator(AuthService auth, ProjectMembers members, RunProjects runs) {
        this.auth = auth;
        this.members = members;
        this.runs = runs;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = relative(ctx);
        // webhooks prove themselves with their signature; only their POSTs are open, so a listing added under
        // /hooks later is not exposed by accident
        boolean hookPath = isHookPath(path);
        boolean hook = hookPath && ctx.request().method() == HttpMethod.POST;
        if (hookPath && !hook) {
            // a hook URL pasted into a browser to check it: the method is wrong, not the login
            ctx.response().putHeader("Allow", "POST");
            ctx.fail(405);
            return;
        }
        if (!hookPath && ctx.request().method() == HttpMethod.POST && !path.equals("/hooks/secret")
                && ONE_SEGMENT_HOOK.matcher(path).matches()) {
            // a git host sends no token: "this needs a bearer token" would send its owner after a login, not the URL
            ctx.fail(new Refused.NotFound("no webhook at " + path + ": a git host's is /hooks/github, /hooks/gitlab, "
                    + "/hooks/gitea (Gitea, Forgejo and Gogs) or /hooks/bitbucket, under /api/v1"));
            return;
        }
        // a badge of a public project is for anyone (its route checks the flag); with a token it is checked as usual
        boolean badge = ctx.request().method() == HttpMethod.GET && ctx.request().getHeader("Authorization") == null
                && BADGE.matcher(path).matches();
        if (OPEN.contains(path) || hook || badge) {
            ctx.next();
            return;
        }
        // a download link the browser follows itself carries a ticket for that one path (POST /downloads), not a token
        String ticket = ctx.request().getHeader("Authorization") == null && ctx.request().method() == HttpMethod.GET
                ? ctx.request().getParam(DOWNLOAD_TICKET) : null;
        // the path as sent, mount point and all, undecoded: a ticket names exactly what it opens, so neither an
        // encoding, a dot segment nor another router's path (the Build-Shuttle API's) leads it elsewhere
        (ticket != null ? auth.authenticateDownload(ticket, ctx.request().path())
                : auth.authenticate(bearer(ctx.request().getHeader("Authorization"))))
                .compose(a -> {
                    ctx.put(Access.PRINCIPAL, a.principal());
                    if (a.tokenId() != null) ctx.put(TOKEN_ID, a.tokenId());
                    return allowed(ctx, a.principal(), ctx.request().method(), path);
                })
                .onSuccess(v -> ctx.next())
                .onFailure(ctx::fail);
    }

    private Future<Void> allowed(RoutingContext ctx, Principal p, HttpMethod method, String path) {
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || selfService(method, path)) {
            return Future.succeededFuture();
        }
        if (!p.role().atLeast(Role.DEVELOPER)) {
            // named as the route would: a viewer disabling a user needs the admin role, not the developer role
            Role needed = WriteRoles.needed(ctx, path);
            return Future.failedFuture(new Refused.Forbidden("this needs the " + Users.roleName(needed) + " role",
                    List.of("role: " + Users.roleName(p.role()))));
        }
        if (p.role() == Role.ADMIN) return Future.succeededFuture();
        String[] seg = path.split("/");
        if (seg.length < 3 || !(seg[1].equals("projects") || seg[1].equals("runs"))) return Future.succeededFuture();
        String name = decode(seg[2]);
        return ctx.vertx().executeBlocking(() -> {
            String project = seg[1].equals("runs") ? runs.projectOf(name) : name;
            // a project that does not exist is its route's 404, not a 403
            if (seg[1].equals("projects") && !members.projectExists(project)) return null;
            if (!members.isMember(project, p.username())) {
                throw new Refused.Forbidden("you are not a member of project '" + project + "'", List.of("members and admins may change a project; ask one to add you"));
            }
            return null;
        }, false);
    }

    private static boolean selfService(HttpMethod method, String path) {
        // a download ticket reads no more than its caller may: a viewer downloads as a viewer reads
        if (method == HttpMethod.POST) return path.equals("/logout") || path.equals("/tokens") || path.equals("/downloads");
        if (method == HttpMethod.DELETE) return path.matches("/tokens/[^/]+") || path.matches("/views/[^/]+");
        if (method == HttpMethod.PUT) return path.matches("/users/[^/]+/password") || path.matches("/views/[^/]+");
        return false;
    }

    /** True for the path of a webhook endpoint (a git host's, or a generic hook's {@code /hooks/generic/p/j}). */
    public static boolean isHook(RoutingContext ctx) {
        return isHookPath(relative(ctx));
    }

    private static boolean isHookPath(String path) {
        return HOOKS.contains(path) || path.startsWith("/hooks/") && GENERIC_HOOK.matcher(path).matches();
    }

    /**
     * The path below the API's mount point, without a trailing slash: the router takes {@code /hooks/github/} for
     * {@code /hooks/github}, so the open routes must too (a webhook URL pasted with a slash, as Jenkins'
     * {@code /github-webhook/} is, was answered "this needs a bearer token").
     */
    private static String relative(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String mount = ctx.mountPoint();
        if (mount != null) {
            String m = mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
            if (path.startsWith(m)) path = path.substring(m.length());
        }
        if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return path.isEmpty() ? "/" : path;
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    public static String bearer(String header) {
        if (header == null) return null;
        String h = header.strip();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        return h.substring(7).strip();
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
