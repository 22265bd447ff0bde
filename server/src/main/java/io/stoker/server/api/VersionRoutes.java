package io.stoker.server.api;

import io.stoker.engine.version.StoredVersion;
import io.stoker.engine.version.VersionStatus;
import io.stoker.server.Problem;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.auth.Access;
import io.stoker.server.auth.Role;
import io.stoker.server.version.VersionPage;
import io.stoker.server.version.VersionService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /projects/{p}/versions}: list, manifest, archive, single files, mark good/bad, delete (admins). */
final class VersionRoutes {

    private final VersionService versions;
    private final AuditLog audit;

    VersionRoutes(VersionService versions, AuditLog audit) {
        this.versions = versions;
        this.audit = audit;
    }

    void mount(Router api) {
        api.get("/projects/:project/versions").handler(this::list);
        api.get("/projects/:project/versions/:version").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx,
                () -> manifest(versions.get(ctx.pathParam("project"), ctx.pathParam("version")))), 200));
        api.get("/projects/:project/versions/:version/archive.tar.gz").handler(ctx -> send(ctx, "application/gzip",
                ctx.pathParam("project") + "-" + ctx.pathParam("version") + ".tar.gz",
                () -> versions.archive(ctx.pathParam("project"), ctx.pathParam("version"))));
        api.get("/projects/:project/versions/:version/files/*").handler(ctx -> {
            String path = WildcardPath.of(ctx);
            send(ctx, "application/octet-stream", path.substring(path.lastIndexOf('/') + 1),
                    () -> versions.file(ctx.pathParam("project"), ctx.pathParam("version"), path));
        });
        api.put("/projects/:project/versions/:version/status").handler(this::mark);
        api.delete("/projects/:project/versions/:version").handler(ctx -> {
            String admin = Access.require(ctx, Role.ADMIN).username();
            boolean force = Bodies.flag(ctx, "force");
            Replies.blocking(ctx, () -> {
                versions.delete(ctx.pathParam("project"), ctx.pathParam("version"), force);
                // a released version is gone for good (and may have been deployed): who removed it must stay known
                audit.record(admin, "version.deleted", ctx.pathParam("project") + "/" + ctx.pathParam("version"),
                        Map.of("force", force));
                return null;
            }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
        });
    }

    private void list(RoutingContext ctx) {
        String status = ctx.queryParams().get("status");
        // checked against the document's enum before this (QueryParameters): a status it lists is one there is
        VersionStatus wanted = status == null ? null : VersionStatus.of(status).orElseThrow();
        int page = Bodies.positive(ctx, "page", 1, 1_000_000);
        int size = Bodies.positive(ctx, "pageSize", 50, 500);
        String prefix = Bodies.filter(ctx, "version", "the start of a version, or leave it out for every version");
        Replies.answer(ctx, Replies.blocking(ctx, () -> {
            VersionPage p = versions.list(ctx.pathParam("project"), prefix, wanted, page, size);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("page", page);
            out.put("pageSize", size);
            out.put("total", p.total());
            out.put("versions", p.versions().stream().map(v -> {
                Map<String, Object> m = summary(v);
                m.put("runNumber", p.runNumberOf(v));
                return m;
            }).toList());
            return out;
        }), 200);
    }

    private void mark(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, Set.of("status"));
        String given = Bodies.string(body, "status");
        if (given == null) throw Problem.badRequest("'status' is required", "field: status", "one of: good, bad");
        VersionStatus status = VersionStatus.of(given).filter(s -> s != VersionStatus.NEW).orElseThrow(() ->
                Problem.badRequest("'status' must be good or bad, not '" + given + "'", "field: status", "one of: good, bad"));
        Replies.answer(ctx, Replies.blocking(ctx, () ->
                summary(versions.mark(ctx.pathParam("project"), ctx.pathParam("version"), status))), 200);
    }

    private static void send(RoutingContext ctx, String type, String name, java.util.concurrent.Callable<Path> file) {
        Replies.blocking(ctx, file).onSuccess(p -> ctx.response().putHeader("content-type", type)
                .putHeader("content-disposition", Disposition.attachment(name))
                .sendFile(p.toString()).onFailure(ctx::fail)).onFailure(ctx::fail);
    }

    static Map<String, Object> summary(StoredVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v.version());
        m.put("status", v.status().label());
        if (!v.failedOn().isEmpty()) m.put("failedOn", v.failedOn());
        m.put("run", v.manifest().runKey());
        m.put("job", v.manifest().job());
        m.put("commit", v.manifest().commit());
        m.put("createdAt", v.manifest().createdAt().toString());
        m.put("files", v.manifest().files().size());
        m.put("size", v.manifest().size());
        return m;
    }

    private static Map<String, Object> manifest(StoredVersion v) {
        Map<String, Object> m = summary(v);
        m.put("project", v.manifest().project());
        m.put("files", v.manifest().files().stream().map(f -> Map.<String, Object>of("path", f.path(), "size", f.size(),
                "sha256", f.sha256())).toList());
        return m;
    }
}
