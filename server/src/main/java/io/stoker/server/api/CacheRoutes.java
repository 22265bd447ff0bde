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
 * {@code /projects/{p}/caches}: the project's task caches (scope, key, size, last use) and dropping them (all, or one
 * key's), a developer's write like any other of the project's (audited as {@code project.caches-dropped}).
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
        api.delete("/projects/:project/caches").handler(this::drop);
    }

    /** Every cache of the project, or with {@code ?key=} those of one key (in every scope); a key it has none of is a 404. */
    private void drop(io.vertx.ext.web.RoutingContext ctx) {
        String actor = Access.principal(ctx).username();
        String key = Bodies.filter(ctx, "key", "a cache's full key as the list shows it (deps-1a2b3c4d), or leave it "
                + "out to drop every cache");
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            String name = projects.get(ctx.pathParam("project")).name();
            int dropped = key == null ? caches.drop(name) : caches.drop(name, key);
            if (key != null && dropped == 0) {
                throw new io.stoker.server.Refused.NotFound("project '" + name + "' has no cache '" + key + "'");
            }
            audit.record(actor, "project.caches-dropped", name,
                    key == null ? Map.of("dropped", dropped) : Map.of("dropped", dropped, "key", key));
            return Map.of("dropped", dropped);
        }), 200);
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
