package io.stoker.engine.run;

import io.stoker.engine.cache.CacheKey;
import io.stoker.engine.cache.CacheScope;
import io.stoker.engine.cache.CacheStore;
import io.stoker.engine.exec.CollectedArtifacts;
import io.stoker.engine.exec.CollectionStopped;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.files.ZipIntoDirectory;
import io.stoker.model.Cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's task caches through the {@link CacheStore}: before a task's first step its cache is unpacked into the
 * workspace when the store has one for its key (in the run's scope or the default branch's); after its last process
 * succeeded, its paths are zipped through the executor (so a container's or an agent's files too) and saved when the
 * key had none — a key's cache is never replaced, and a failed task saves nothing. A cache that cannot be read or
 * saved is told in the task's log and never fails the task: it only costs time.
 */
final class RunCaches {
    private final RunExecution run;
    private final CacheStore store;
    private final CacheScope scope;
    /** Task → its key, when its cache missed and is to be saved once it succeeds. */
    private final Map<String, String> missed = new ConcurrentHashMap<>();

    RunCaches(RunExecution run) {
        this.run = run;
        this.store = run.ports.caches();
        RunContext c = run.request.context();
        this.scope = new CacheScope(c.project(), c.branch(), c.pr());
    }

    /** Restores the task's cache into the workspace before its first step (of its first attempt), or notes the miss. */
    void restore(TaskRun t) {
        Cache cache = t.task.cache();
        if (cache == null) return;
        if (store instanceof CacheStore.Off off) {
            // nothing goes into missed: the task saves nothing either
            run.note(t, "cache " + cache.paths() + " not used: caches are off for this run (" + off.reason()
                    + "); the task starts without it and saves none");
            return;
        }
        Path workspace = run.request.workspace();
        CacheKey key;
        try {
            key = CacheKey.of(cache, t.task.matrix(), workspace);
        } catch (IOException | RuntimeException e) {
            run.note(t, "cannot read the key files of its cache " + cache.files() + ": " + e.getMessage()
                    + "; the task runs without its cache");
            return;
        }
        if (!key.unmatched().isEmpty()) run.note(t, "cache key files matched no file: " + key.unmatched());
        try {
            Optional<Path> zip = store.restore(scope, key.full());
            if (zip.isPresent()) {
                ZipIntoDirectory.Unpacked u = ZipIntoDirectory.unpack(zip.get(), workspace);
                int n = u.written().size();
                run.note(t, "cache " + key.full() + " restored: " + n + (n == 1 ? " file" : " files")
                        + (u.leftOut().isEmpty() ? "" : "; " + u.leftOut().size() + " left out"));
                return;
            }
        } catch (IOException | RuntimeException e) {
            run.note(t, "cannot restore cache " + key.full() + ": " + e.getMessage() + "; the task runs without it");
        }
        missed.put(t.name(), key.full());
        run.note(t, "no cache for key " + key.full() + ": it is saved if the task succeeds");
    }

    /** Whether a process that ended as {@code outcome} saves the task's cache: its attempt's last, succeeded, after a miss. */
    boolean due(TaskRun t, Outcome outcome, boolean gaveUp, boolean lastProcess) {
        return lastProcess && !gaveUp && outcome instanceof Outcome.Succeeded && missed.containsKey(t.name())
                && !run.stopping();
    }

    /** Zips the task's cache paths through {@code process} and saves them under the key that missed. */
    void save(TaskRun t, RunningTask process, Deadline deadline) {
        String key = missed.remove(t.name());
        if (key == null) return;
        Cache cache = t.task.cache();
        Path zip = null;
        try {
            zip = store.newArchive();
            CollectedArtifacts collected = process.collectArtifacts(cache.paths(), zip,
                    () -> run.stopping() || deadline.passed());
            if (collected.files() == 0) {
                Files.deleteIfExists(zip);
                run.note(t, "cache " + key + " not saved: no files under " + cache.paths());
                return;
            }
            int n = collected.files();
            String files = n + (n == 1 ? " file" : " files");
            if (store.save(scope, key, zip)) {
                run.note(t, "cache " + key + " saved: " + files);
            } else {
                run.note(t, "cache " + key + " was saved by another run meanwhile; that one is kept");
            }
        } catch (CollectionStopped e) {
            deleteQuietly(zip);
            run.note(t, "cache " + key + " not saved: the run stopped or the task's time ran out while it was zipped");
        } catch (IOException | RuntimeException e) {
            deleteQuietly(zip);
            run.note(t, "cannot save cache " + key + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path zip) {
        if (zip != null) zip.toFile().delete();
    }
}
