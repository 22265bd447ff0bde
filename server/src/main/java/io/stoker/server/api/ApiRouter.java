package io.stoker.server.api;

import io.stoker.engine.artifact.FileArtifactStore;
import io.stoker.engine.log.FileLogStore;
import io.stoker.server.audit.H2AuditLog;
import io.stoker.server.auth.AuthService;
import io.stoker.server.auth.Authenticator;
import io.stoker.server.auth.ProjectMembers;
import io.stoker.server.cluster.RunHolders;
import io.stoker.server.forge.PushHooks;
import io.stoker.server.forge.generic.GenericHooks;
import io.stoker.server.forge.WebhookSecret;
import io.stoker.server.event.EventHub;
import io.stoker.server.outbox.Outbox;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.RunDispatcher;
import io.stoker.server.run.RunService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The HTTP surface: {@code /healthz} and everything under {@code /api/v1}. Route handlers are thin: they read the
 * request, call a service on a worker thread and write JSON; failures all go through {@link FailureHandler}.
 * Every {@code /api/v1} request passes the {@link Authenticator} first, which sets the caller's principal.
 */
public final class ApiRouter {
    public static final String PREFIX = "/api/v1";
    /** Routing-context key set once the request body has been read (see {@link FailureHandler}). */
    static final String BODY_READ = "stoker.bodyRead";
    private static final String FORM = "application/x-www-form-urlencoded";
    /** Routing-context key of the body limit in effect, in the words a 413 says it (see {@link FailureHandler}). */
    static final String BODY_LIMIT = "stoker.bodyLimit";
    /** A project's create ({@code POST /projects}) and update ({@code PUT /projects/{p}}): they carry a Jobfile. */
    private static final java.util.regex.Pattern CREATE = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(PREFIX) + "/projects/?");
    private static final java.util.regex.Pattern UPDATE = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(PREFIX) + "/projects/[^/]+/?");

    private ApiRouter() {
    }

    public static Router create(Vertx vertx, long maxBodyBytes, ProjectService projects, RunService runs,
                                RunDispatcher dispatcher, FileLogStore logs, FileArtifactStore artifacts, EventHub events, Path tmp, String version,
                                String containerEngine,
                                PushHooks hooks, GenericHooks generic, WebhookSecret webhookSecret, SecretRoutes secrets,
                                AgentRoutes agents, ConsoleRoutes console, AuthService auth, ProjectMembers members, H2AuditLog audit,
                                java.util.function.Supplier<Health> health, Outbox outbox,
                                io.stoker.server.logstream.LogStreams logStreams, ApprovalRoutes approvals,
                                io.stoker.server.version.VersionService versions, DeploymentRoutes deployments,
                                TargetRoutes targets,
                                io.stoker.server.shuttle.ShuttleRoutes shuttle, ClusterRoutes cluster, RunHolders holders,
                                io.stoker.server.run.RunSecretMasks masks, io.stoker.server.trigger.NextFirings firings,
                                CacheRoutes caches) {
        Router api = Router.router(vertx);
        // bodies are read only for the methods that carry one: Vert.x' BodyHandler throws (a 500) on a GET or HEAD
        // whose content-type is a form or multipart; other methods' bodies are never looked at
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
        // a project's body carries a Jobfile of up to 1 MiB of text, which JSON escaping may make six times larger
        // (a control character takes six bytes): any Jobfile the compiler accepts must fit, whatever the general limit
        long projectBodyBytes = projectBodyLimit(maxBodyBytes);
        BodyHandler projectBodies = BodyHandler.create(false).setBodyLimit(projectBodyBytes);
        String generalLimit = "at most " + maxBodyBytes + " bytes (STOKER_MAX_BODY_BYTES sets it)";
        String projectLimit = "at most " + projectBodyBytes + " bytes for a project, room for a Jobfile of "
                + "1 MiB however it is escaped, and STOKER_MAX_BODY_BYTES (" + maxBodyBytes + ") for the rest";
        // webhooks are read raw and larger: their signature covers the exact bytes (see HookBodies)
        HookBodies hookBodies = new HookBodies();
        api.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
                .handler(ctx -> {
                    if (ctx.request().method() == HttpMethod.POST && Authenticator.isHook(ctx)) {
                        hookBodies.handle(ctx);
                        return;
                    }
                    boolean project = isProjectBody(ctx);
                    ctx.put(BODY_LIMIT, project ? projectLimit : generalLimit);
                    readAsJson(ctx, project ? projectBodies : bodies);
                });
        // from here on the body is read: a failure before this point is a body the decoder refused, not a bug
        api.route().handler(ctx -> {
            ctx.put(BODY_READ, Boolean.TRUE);
            ctx.next();
        });
        // after the body handler: the middleware may wait for the database, and a body must not be lost meanwhile
        api.route().handler(new Authenticator(auth, members, key -> runs.get(key).project()));
        Buffer openapi = openapi();
        // after the login: a caller without one hears 401, not which parameters an endpoint takes
        api.route().handler(new QueryParameters(openapi));
        new AuthRoutes(auth, members).mount(api);
        new UserRoutes(auth, members, audit, auth.clock()).mount(api);
        new AuditRoutes(audit).mount(api);
        new ProjectRoutes(projects, runs, members, audit, firings).mount(api);
        new RunRoutes(runs, dispatcher, outbox, logStreams, audit, holders).mount(api);
        approvals.mount(api);
        new DeliveryRoutes(runs, outbox, logStreams).mount(api);
        new LogRoutes(runs, logs, events, auth).mount(api);
        new ArtifactRoutes(runs, artifacts, tmp, masks).mount(api);
        new DownloadRoutes(auth).mount(api);
        new TestRoutes(runs).mount(api);
        new VersionRoutes(versions, audit).mount(api);
        caches.mount(api);
        deployments.mount(api);
        targets.mount(api);
        new EventRoutes(events, auth).mount(api);
        new HookRoutes(hooks, generic, webhookSecret, audit).mount(api);
        secrets.mount(api);
        agents.mount(api);
        console.mount(api);
        cluster.mount(api);
        api.get("/version").handler(ctx -> Replies.json(ctx, 200, Map.of("version", version, "api", "v1",
                "containerEngine", containerEngine)));
        api.get("/openapi.json").handler(ctx -> Replies.end(ctx.response().putHeader("content-type", "application/json"), openapi));

        Router root = Router.router(vertx);
        // HEAD is a GET without the body (curl -I, uptime checks): routes are declared for GET, and Vert.x's HTTP server
        // leaves the body out of a HEAD's answer by itself. Before the connection guard, which then runs once.
        root.route().order(-2).method(HttpMethod.HEAD).handler(ctx -> ctx.reroute(HttpMethod.GET, ctx.request().uri()));
        // after that reroute, which decodes the query afresh: a raw UTF-8 query reads as its encoded form
        root.route().order(-1).handler(new RawQueryBytes());
        // OPTIONS says which methods a path has, before any login (as a CORS preflight would be sent, without one):
        // the public OpenAPI document says as much
        AllowedMethods allowed = new AllowedMethods(root);
        root.route().method(HttpMethod.OPTIONS).handler(ctx -> {
            String allow = allowed.header(ctx.normalizedPath());
            if (allow == null) ctx.next();
            else ctx.response().putHeader("Allow", allow).setStatusCode(204).end();
        });
        // the health body is built off the event loop: it may ask the database
        root.get("/healthz").handler(ctx -> Replies.blocking(ctx, health::get)
                .onSuccess(h -> Replies.json(ctx, h.status(), h.body())).onFailure(ctx::fail));
        root.route(PREFIX + "/*").subRouter(api);
        // the Build-Shuttle API: its own mount point, the same bodies, tokens and roles as the API
        Router shuttleRouter = Router.router(vertx);
        shuttleRouter.route().method(HttpMethod.POST).method(HttpMethod.DELETE).handler(ctx -> readAsJson(ctx, bodies));
        shuttleRouter.route().handler(ctx -> {
            ctx.put(BODY_READ, Boolean.TRUE);
            ctx.next();
        });
        shuttleRouter.route().handler(new Authenticator(auth, members, key -> runs.get(key).project()));
        shuttle.mount(shuttleRouter);
        root.route(shuttle.path() + "/*").subRouter(shuttleRouter);
        WebUi.mount(root);
        FailureHandler failures = new FailureHandler(allowed);
        api.route().failureHandler(failures);
        shuttleRouter.route().failureHandler(failures);
        root.route().failureHandler(failures);
        for (int status : new int[]{400, 404, 405, 413}) {
            root.errorHandler(status, failures.forStatus(status));
            api.errorHandler(status, failures.forStatus(status));
            shuttleRouter.errorHandler(status, failures.forStatus(status));
        }
        return root;
    }

    /** The body limit of a project's create and update: six times the largest Jobfile, and the general limit. */
    static long projectBodyLimit(long maxBodyBytes) {
        return 6L * io.stoker.server.project.ProjectService.MAX_JOBFILE_CHARS + maxBodyBytes;
    }

    private static boolean isProjectBody(io.vertx.ext.web.RoutingContext ctx) {
        HttpMethod m = ctx.request().method();
        String path = ctx.normalizedPath();
        return m == HttpMethod.POST ? CREATE.matcher(path).matches()
                : m == HttpMethod.PUT && UPDATE.matcher(path).matches();
    }

    /**
     * Reads the body as JSON, whatever type the client declares: a body sent as a form (curl -d's default) is read as
     * it is, not decoded as form fields (a kilobyte or 8 KB each at most, '&' and '%' taken as syntax).
     */
    private static void readAsJson(io.vertx.ext.web.RoutingContext ctx, BodyHandler bodies) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.regionMatches(true, 0, FORM, 0, FORM.length())) {
            ctx.put(BodyType.DECLARED, type); // what the client said, for a 415 if the body is not JSON after all
            ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        bodies.handle(ctx);
    }

    static Buffer openapi() {
        try (InputStream in = ApiRouter.class.getResourceAsStream("/openapi.json")) {
            if (in == null) throw new IllegalStateException("openapi.json is missing from the class path");
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
