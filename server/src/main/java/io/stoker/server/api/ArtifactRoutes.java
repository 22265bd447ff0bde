package io.stoker.server.api;

import io.stoker.engine.artifact.FileArtifactStore;
import io.stoker.engine.files.SafeFileName;
import io.stoker.engine.log.SecretMask;
import io.stoker.server.Problem;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunSecretMasks;
import io.stoker.server.run.RunService;
import io.stoker.server.run.TaskRow;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's artifacts: the list (with the files in each task's zip), one task's zip, one file of it, or every zip in
 * one {@code .tar.gz}. A zip and a file of it take one {@code Range} ({@link RangedFile}); the {@code .tar.gz} is made
 * anew for each download, so it is always sent whole.
 */
final class ArtifactRoutes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ArtifactRoutes.class);
    private final RunService runs;
    private final FileArtifactStore store;
    private final Path tmp;
    private final RunSecretMasks masks;

    ArtifactRoutes(RunService runs, FileArtifactStore store, Path tmp, RunSecretMasks masks) {
        this.runs = runs;
        this.masks = masks;
        this.store = store;
        this.tmp = tmp;
    }

    void mount(Router api) {
        api.get("/runs/:key/artifacts").handler(ctx -> Replies.answer(ctx, Replies.blocking(ctx, () -> {
            RunRow run = runs.get(ctx.pathParam("key"));
            SecretMask mask = mask(run);
            return zips(run).entrySet().stream().map(e -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("task", e.getKey());
                m.put("file", e.getKey() + ".zip");
                m.put("size", e.getValue().toFile().length());
                m.put("published", e.getValue().getParent().getFileName().toString().equals("published"));
                // a matrix cell's name holds brackets, '=' and maybe spaces: the URL is one a client can use as given
                m.put("url", "/api/v1/runs/" + run.key() + "/artifacts/" + java.net.URLEncoder.encode(e.getKey() + ".zip",
                        java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
                Listing listing = files(e.getValue(), mask);
                m.put("fileCount", listing.count());
                m.put("files", listing.files());
                return m;
            }).toList();
        }), 200));
        api.get("/runs/:key/artifacts.tar.gz").handler(this::tarGz);
        api.get("/runs/:key/artifacts/:file").handler(this::zip);
        api.get("/runs/:key/artifacts/:file/*").handler(this::entry);
    }

    /** The run's secret mask, or null when its secrets cannot be read now (the listing then names no file). */
    private SecretMask mask(RunRow run) {
        try {
            return masks.of(run);
        } catch (Exception e) {
            LOG.warn("run {}: its secrets cannot be read ({}); its artifacts are listed without file names", run.key(),
                    e.getMessage());
            return null;
        }
    }

    /** At most this many files of a zip are listed. */
    static final int LISTED = 1000;

    /** The first {@link #LISTED} files of a zip, and how many it holds in all. */
    private record Listing(List<Map<String, Object>> files, long count) {
    }

    /** The files in a task's zip, with their sizes: what {@code …/<task>.zip/<path>} downloads. */
    private static Listing files(Path zip, SecretMask mask) {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            List<Map<String, Object>> listed = new java.util.ArrayList<>();
            long count = 0;
            for (var entries = z.entries(); entries.hasMoreElements(); ) {
                var e = entries.nextElement();
                if (e.isDirectory()) continue;
                if (count++ >= LISTED) continue;
                if (mask == null) continue; // the run's secrets cannot be read now: its file names cannot be checked
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", mask.apply(e.getName())); // a task may name a file after a secret, as it may print one
                m.put("size", e.getSize());
                listed.add(m);
            }
            return new Listing(List.copyOf(listed), count);
        } catch (java.io.IOException e) {
            return new Listing(List.of(), 0); // being published (moved) this moment: listed again next time
        }
    }

    /** One file of a task's zip, as it was in the workspace. */
    private void entry(RoutingContext ctx) {
        String task = task(ctx);
        String path = WildcardPath.of(ctx);
        Replies.blocking(ctx, () -> {
            RunRow run = runs.get(ctx.pathParam("key"));
            Path zip = zipOf(run, task);
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
                java.util.zip.ZipEntry e = path.isEmpty() ? null : z.getEntry(path);
                if (e == null || e.isDirectory()) {
                    throw Problem.notFound("no file '" + path + "' in the artifacts of task '" + task + "' (GET /runs/"
                            + run.key() + "/artifacts lists them)");
                }
                Files.createDirectories(tmp);
                Path out = Files.createTempFile(tmp, "artifact-", ".bin");
                try (var in = z.getInputStream(e)) {
                    Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                return out;
            }
        }).onSuccess(out -> {
            try {
                ctx.response().putHeader("content-type", ArtifactType.of(path))
                        .putHeader("content-disposition", Disposition.attachment(path.substring(path.lastIndexOf('/') + 1)))
                        .putHeader("x-content-type-options", "nosniff")
                        .putHeader("content-security-policy", ArtifactType.SANDBOX)
                        .endHandler(v -> out.toFile().delete());
                RangedFile.send(ctx, out, "file");
            } catch (RuntimeException e) {
                out.toFile().delete();
                ctx.fail(e); // an answer, never a request left hanging
            }
        }).onFailure(ctx::fail);
    }

    private void zip(RoutingContext ctx) {
        // Vert.x lets a route match with a slash after it: ".../t.zip/" names an empty path in the zip, not the zip
        if (ctx.request().path().endsWith("/")) {
            entry(ctx);
            return;
        }
        String task = task(ctx);
        Replies.blocking(ctx, () -> zipOf(runs.get(ctx.pathParam("key")), task)).onSuccess(zip -> {
            ctx.response().putHeader("content-type", "application/zip")
                    .putHeader("content-disposition", Disposition.attachment(zip.getFileName().toString()));
            // one range of the zip: a download of gigabytes that broke off resumes (curl -C -) where it stopped
            RangedFile.send(ctx, zip, "zip");
        }).onFailure(ctx::fail);
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
                    // named for its run: a second run's download does not land as "artifacts (1).tar.gz"
                    .putHeader("content-disposition", Disposition.attachment(ctx.pathParam("key") + "-artifacts.tar.gz"))
                    .endHandler(v -> out.toFile().delete())
                    .sendFile(out.toString()).onFailure(ctx::fail);
        }).onFailure(ctx::fail);
    }

    /** The task a {@code <task>.zip} path names. */
    private static String task(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        if (!file.endsWith(".zip")) throw Problem.notFound("artifacts are downloaded as <task>.zip or <task>.zip/<path>");
        return file.substring(0, file.length() - 4);
    }

    private Path zipOf(RunRow run, String task) {
        Path zip = zips(run).get(task);
        if (zip == null) throw Problem.notFound("task '" + task + "' of run " + run.key() + " has no artifacts");
        return zip;
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
