package io.stoker.server.api;

import io.stoker.engine.artifact.FileArtifactStore;
import io.stoker.engine.files.SafeFileName;
import io.stoker.server.Problem;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;
import io.stoker.server.run.TaskRow;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run's artifacts: the list, one task's zip, or every zip in one {@code .tar.gz}. */
final class ArtifactRoutes {
    private final RunService runs;
    private final FileArtifactStore store;
    private final Path tmp;

    ArtifactRoutes(RunService runs, FileArtifactStore store, Path tmp) {
        this.runs = runs;
        this.store = store;
        this.tmp = tmp;
    }

    void mount(Router api) {
        api.get("/runs/:key/artifacts").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            RunRow run = runs.get(ctx.pathParam("key"));
            return zips(run).entrySet().stream().map(e -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("task", e.getKey());
                m.put("file", e.getKey() + ".zip");
                m.put("size", e.getValue().toFile().length());
                m.put("published", e.getValue().getParent().getFileName().toString().equals("published"));
                m.put("url", "/api/v1/runs/" + run.key() + "/artifacts/" + e.getKey() + ".zip");
                return m;
            }).toList();
        }), 200));
        api.get("/runs/:key/artifacts.tar.gz").handler(this::tarGz);
        api.get("/runs/:key/artifacts/:file").handler(this::zip);
    }

    private void zip(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        if (!file.endsWith(".zip")) throw Problem.notFound("artifacts are downloaded as <task>.zip");
        String task = file.substring(0, file.length() - 4);
        Replies.blocking(ctx, () -> {
            RunRow run = runs.get(ctx.pathParam("key"));
            Path zip = zips(run).get(task);
            if (zip == null) throw Problem.notFound("task '" + task + "' of run " + run.key() + " has no artifacts");
            return zip;
        }).onSuccess(zip -> ctx.response().putHeader("content-type", "application/zip")
                .putHeader("content-disposition", "attachment; filename=\"" + zip.getFileName() + "\"")
                .sendFile(zip.toString()).onFailure(ctx::fail)).onFailure(ctx::fail);
    }

    private void tarGz(RoutingContext ctx) {
        Replies.blocking(ctx, () -> {
            RunRow run = runs.get(ctx.pathParam("key"));
            Map<String, Path> entries = new LinkedHashMap<>();
            zips(run).forEach((task, zip) -> entries.put(run.key() + "/" + zip.getFileName(), zip));
            Files.createDirectories(tmp);
            Path out = Files.createTempFile(tmp, "artifacts-", ".tar.gz");
            TarGz.write(entries, out);
            return out;
        }).onSuccess(out -> {
            ctx.response().putHeader("content-type", "application/gzip")
                    .putHeader("content-disposition", "attachment; filename=\"artifacts.tar.gz\"")
                    .endHandler(v -> out.toFile().delete())
                    .sendFile(out.toString()).onFailure(ctx::fail);
        }).onFailure(ctx::fail);
    }

    /**
     * Task → its zip where it exists now: published when the run succeeded, else still staged (a reused task's zip
     * is staged by the engine like any other). Looked up in both places because publishing moves the files.
     */
    private Map<String, Path> zips(RunRow run) {
        Map<String, Path> out = new LinkedHashMap<>();
        List<TaskRow> tasks = run.tasks();
        for (TaskRow t : tasks) {
            String file = SafeFileName.of(t.name()) + ".zip";
            for (Path dir : List.of(store.publishedDir(run.key()), store.stagedDir(run.key()))) {
                Path p = dir.resolve(file);
                if (Files.isRegularFile(p)) {
                    out.put(t.name(), p);
                    break;
                }
            }
        }
        return out;
    }
}
