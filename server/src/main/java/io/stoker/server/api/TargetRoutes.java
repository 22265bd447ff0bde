package io.stoker.server.api;

import io.stoker.server.deploy.DeploymentRuns;
import io.stoker.server.deploy.TargetStatus;
import io.stoker.server.deploy.TargetStatuses;
import io.stoker.server.run.RunNumbers;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code /projects/{p}/targets}: what each deploy target of the project runs now, and how its latest attempt went. */
public final class TargetRoutes {
    private final TargetStatuses targets;
    private final RunNumbers runNumbers;

    /** @param runNumbers the numbers of the deployments' runs, which the reply names beside their keys */
    public TargetRoutes(TargetStatuses targets, RunNumbers runNumbers) {
        this.targets = targets;
        this.runNumbers = runNumbers;
    }

    void mount(Router api) {
        api.get("/projects/:project/targets").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            List<TargetStatus> all = targets.of(ctx.pathParam("project"));
            DeploymentRuns runs = DeploymentRuns.of(runNumbers,
                    all.stream().flatMap(t -> Stream.of(t.current(), t.latest())).toList());
            return Map.of("targets", all.stream().map(t -> json(t, runs)).toList());
        }), 200);
    }

    private static Map<String, Object> json(TargetStatus t, DeploymentRuns runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", t.target());
        m.put("declared", t.declared());
        m.put("state", t.state().label());
        m.put("current", t.current() == null ? null : DeploymentRoutes.json(t.current(), runs));
        m.put("latest", t.latest() == null ? null : DeploymentRoutes.json(t.latest(), runs));
        m.put("rolledBack", t.latestRolledBack());
        return m;
    }
}
