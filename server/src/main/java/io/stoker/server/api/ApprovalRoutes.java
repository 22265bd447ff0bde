package io.stoker.server.api;

import io.stoker.engine.approval.Decision;
import io.stoker.server.approval.ApprovalService;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.Principal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Approval gates: approve or reject a task waiting at its gate, with an optional comment. */
public final class ApprovalRoutes {
    private final ApprovalService approvals;

    public ApprovalRoutes(ApprovalService approvals) {
        this.approvals = approvals;
    }

    void mount(Router api) {
        api.post("/runs/:key/tasks/:task/approve").handler(ctx -> decide(ctx, Decision.Verdict.APPROVED));
        api.post("/runs/:key/tasks/:task/reject").handler(ctx -> decide(ctx, Decision.Verdict.REJECTED));
    }

    private void decide(RoutingContext ctx, Decision.Verdict verdict) {
        JsonObject body = Bodies.optionalObject(ctx, Set.of("comment"));
        String comment = Bodies.string(body, "comment");
        Principal who = Access.principal(ctx);
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            var d = approvals.decide(who, ctx.pathParam("key"), ctx.pathParam("task"), verdict, comment);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("run", d.run());
            out.put("task", d.task());
            out.put("decision", d.verdict().label());
            out.put("decidedBy", d.by());
            out.put("comment", d.comment());
            return out;
        }), 200);
    }
}
