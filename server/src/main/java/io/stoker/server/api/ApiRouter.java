package io.stoker.server.api;

import io.stoker.engine.artifact.FileArtifactStore;
import io.stoker.engine.log.FileLogStore;
import io.stoker.server.event.EventHub;
import io.stoker.server.trigger.JobTriggers;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.RunDispatcher;
import io.stoker.server.run.RunService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The HTTP surface: {@code /healthz} and everything under {@code /api/v1}. Route handlers are thin: they read the
 * request, call a service on a worker thread and write JSON; failures all go through {@link FailureHandler}.
 */
public final class ApiRouter {
    public static final String PREFIX = "/api/v1";

    private ApiRouter() {
    }

    public static Router create(Vertx vertx, long maxBodyBytes, ProjectService projects, RunService runs,
                                RunDispatcher dispatcher, FileLogStore logs, FileArtifactStore artifacts, EventHub events, Path tmp, String version,
                                JobTriggers triggers, AgentRoutes agents) {
        Router api = Router.router(vertx);
        api.route().handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
        new ProjectRoutes(projects, runs).mount(api);
        new RunRoutes(runs, dispatcher).mount(api);
        new LogRoutes(runs, logs, events).mount(api);
        new ArtifactRoutes(runs, artifacts, tmp).mount(api);
        new EventRoutes(events).mount(api);
        new HookRoutes(triggers).mount(api);
        agents.mount(api);
        api.get("/version").handler(ctx -> Replies.json(ctx, 200, Map.of("version", version, "api", "v1")));
        Buffer openapi = openapi();
        api.get("/openapi.json").handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(openapi));

        Router root = Router.router(vertx);
        root.get("/healthz").handler(ctx -> Replies.json(ctx, 200, Map.of("status", "ok")));
        root.route(PREFIX + "/*").subRouter(api);
        FailureHandler failures = new FailureHandler();
        api.route().failureHandler(failures);
        root.route().failureHandler(failures);
        for (int status : new int[]{400, 404, 405, 413}) {
            root.errorHandler(status, failures.forStatus(status));
            api.errorHandler(status, failures.forStatus(status));
        }
        return root;
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
