package io.stoker.server.api;

import io.stoker.server.audit.AuditEntry;
import io.stoker.server.audit.H2AuditLog;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.Role;
import io.vertx.ext.web.Router;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /audit?limit=&action=&actor=&target=&before=}: the audit log, newest first, for admins, a page at a time. */
final class AuditRoutes {
    private final H2AuditLog audit;

    AuditRoutes(H2AuditLog audit) {
        this.audit = audit;
    }

    void mount(Router api) {
        api.get("/audit").handler(ctx -> {
            Access.require(ctx, Role.ADMIN);
            int limit = Bodies.positive(ctx, "limit", 100, 1000);
            String action = Bodies.filter(ctx, "action", "an action or its family, or leave it out for every action");
            String actor = Bodies.filter(ctx, "actor", "a user name, or leave it out for everyone's");
            String target = Bodies.filter(ctx, "target", "a user, project or run, or leave it out for every target");
            Long before = before(ctx.queryParams().get("before"));
            Replies.answer(ctx, Replies.blocking(ctx, () -> audit.list(limit, action, actor, target, before).stream()
                    .map(AuditRoutes::view).toList()), 200);
        });
    }

    /** The id a page starts below (the last id of the page before), or null for the newest page. */
    private static Long before(String given) {
        if (given == null) return null;
        try {
            long id = Long.parseLong(given);
            if (id >= 1) return id;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw io.stoker.server.Problem.badRequest("'before' must be an entry's id (a whole number from 1), not '"
                + given + "'", "field: before");
    }

    private static Map<String, Object> view(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", e.at().toString());
        m.put("actor", e.actor());
        m.put("action", e.action());
        m.put("target", e.target());
        m.put("detail", e.detail());
        return m;
    }
}
