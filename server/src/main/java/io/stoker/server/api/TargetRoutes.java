package io.stoker.server.api;

import io.stoker.server.deploy.TargetStatus;
import io.stoker.server.deploy.TargetStatuses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /projects/{p}/targets}: what each deploy target of the project runs now, and how its latest attempt went. */
public final class TargetRoutes {
    private final TargetStatuses targets;

    public TargetRoutes(TargetStatuses targets) {
        this.targets = targets;
    }

    void mount(Router api) {
        api.get("/projects/:project/targets").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        Replies.answer(ctx, Replies.blocking(ctx, () -> Map.of("targets",
                targets.of(ctx.pathParam("project")).stream().map(TargetRoutes::json).toList())), 200);
    }

    private static Map<String, Object> json(TargetStatus t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", t.target());
        m.put("declared", t.declared());
        m.put("state", t.state().label());
        m.put("current", t.current() == null ? null : DeploymentRoutes.json(t.current()));
        m.put("latest", t.latest() == null ? null : DeploymentRoutes.json(t.latest()));
        m.put("rolledBack", t.latestRolledBack());
        return m;
    }
}
