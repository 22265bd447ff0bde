package io.stoker.server.api;

import io.stoker.engine.deploy.DeployJobs;
import io.stoker.engine.deploy.Deployment;
import io.stoker.server.Problem;
import io.stoker.server.auth.Access;
import io.stoker.server.deploy.DeploymentRuns;
import io.stoker.server.deploy.Deployments;
import io.stoker.server.run.RunNumbers;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /projects/{p}/deployments}: deploy a version to a target, roll a target back, the history, and one deployment. */
public final class DeploymentRoutes {
    private final Deployments deployments;
    private final RunNumbers runNumbers;

    /** @param runNumbers the numbers of the deployments' runs, which every reply names beside their keys */
    public DeploymentRoutes(Deployments deployments, RunNumbers runNumbers) {
        this.deployments = deployments;
        this.runNumbers = runNumbers;
    }

    void mount(Router api) {
        api.post("/projects/:project/deployments").handler(this::deploy);
        api.post("/projects/:project/deployments/rollback").handler(this::rollback);
        // the path is the rollback's alone: another method is a 405, not deployment "rollback" of /deployments/:id
        api.route("/projects/:project/deployments/rollback").handler(ctx -> ctx.fail(405));
        api.get("/projects/:project/deployments").handler(this::history);
        api.get("/projects/:project/deployments/:id").handler(this::one);
    }

    private void deploy(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, Set.of("version", "target"));
        String version = Bodies.string(body, "version");
        String target = Bodies.string(body, "target");
        if (version == null || version.isBlank()) {
            throw Problem.badRequest("'version' is required", "field: version", "give the version to deploy");
        }
        // left out: the project's only target, as a rollback takes it
        if (target != null && target.isBlank()) throw Bodies.empty("target", "a deploy target of the Jobfile");
        String by = user(ctx);
        Replies.answer(ctx, Replies.blocking(ctx, () ->
                one(deployments.deploy(ctx.pathParam("project"), target, version, by))), 202);
    }

    private void rollback(RoutingContext ctx) {
        JsonObject body = Bodies.optionalObject(ctx, Set.of("target"));
        String target = Bodies.string(body, "target");
        if (target != null && target.isBlank()) throw Bodies.empty("target", "a deploy target of the Jobfile");
        String by = user(ctx);
        Replies.answer(ctx, Replies.blocking(ctx, () ->
                one(deployments.rollback(ctx.pathParam("project"), target, by))), 202);
    }

    private void history(RoutingContext ctx) {
        String target = Bodies.filter(ctx, "target", "a deploy target of the Jobfile, or leave it out for every target");
        int limit = Bodies.positive(ctx, "limit", 50, 500);
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            List<Deployment> list = deployments.history(ctx.pathParam("project"), target, limit);
            DeploymentRuns runs = DeploymentRuns.of(runNumbers, list);
            return Map.of("deployments", list.stream().map(d -> json(d, runs)).toList());
        }), 200);
    }

    private void one(RoutingContext ctx) {
        long id = Bodies.positivePath(ctx, "id");
        Replies.answer(ctx, Replies.blocking(ctx, () -> one(deployments.get(ctx.pathParam("project"), id))), 200);
    }

    /** One deployment as replied, its run's number looked up. */
    private Map<String, Object> one(Deployment d) throws Exception {
        return json(d, DeploymentRuns.of(runNumbers, List.of(d)));
    }

    private static String user(RoutingContext ctx) {
        return Access.principal(ctx).username();
    }

    /** {@code d} as replied; its run by key, and by number and job ({@code deploy-TARGET}) as {@code runs} has it. */
    static Map<String, Object> json(Deployment d, DeploymentRuns runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("project", d.project());
        m.put("target", d.target());
        m.put("version", d.version());
        m.put("by", d.by());
        m.put("reason", d.reason().label());
        m.put("run", d.runKey());
        m.put("runNumber", runs.numberOf(d));
        m.put("job", DeployJobs.jobName(d.target()));
        m.put("state", d.state().label());
        m.put("detail", d.detail());
        m.put("startedAt", d.startedAt().toString());
        m.put("endedAt", d.endedAt() == null ? null : d.endedAt().toString());
        return m;
    }
}
