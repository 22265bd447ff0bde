package io.stoker.server.api;

import io.stoker.engine.cache.CacheEntry;
import io.stoker.engine.cache.FileCacheStore;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.auth.Access;
import io.stoker.server.project.ProjectService;
import io.vertx.ext.web.Router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /projects/{p}/caches}: the project's task caches (scope, key, size, last use) and dropping them all, a
 * developer's write like any other of the project's (audited as {@code project.caches-dropped}).
 */
public final class CacheRoutes {
    private final FileCacheStore caches;
    private final ProjectService projects;
    private final AuditLog audit;

    public CacheRoutes(FileCacheStore caches, ProjectService projects, AuditLog audit) {
        this.caches = caches;
        this.projects = projects;
        this.audit = audit;
    }

    void mount(Router api) {
        api.get("/projects/:project/caches").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            String name = projects.get(ctx.pathParam("project")).name();
            return caches.list(name).stream().map(CacheRoutes::view).toList();
        }), 200));
        api.delete("/projects/:project/caches").handler(ctx -> {
            String actor = Access.principal(ctx).username();
            Replies.answer(ctx, Replies.blocking(ctx, () -> {
                String name = projects.get(ctx.pathParam("project")).name();
                int dropped = caches.drop(name);
                audit.record(actor, "project.caches-dropped", name, Map.of("dropped", dropped));
                return Map.of("dropped", dropped);
            }), 200);
        });
    }

    private static Map<String, Object> view(CacheEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scope", e.scope());
        m.put("key", e.key());
        m.put("bytes", e.bytes());
        m.put("lastUsed", e.lastUsed().toString());
        return m;
    }
}
