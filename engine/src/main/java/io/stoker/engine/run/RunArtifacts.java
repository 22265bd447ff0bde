package io.stoker.engine.run;

import io.stoker.engine.artifact.ArtifactStore;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.local.ArtifactZip;
import io.stoker.engine.files.SafeFileName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A run's artifacts through the {@link ArtifactStore}: a task's zip is staged when its last process succeeded (or
 * copied from the earlier run when the task is reused), and at the end published with the run or kept unpublished.
 */
final class RunArtifacts {
    private static final Logger LOG = LoggerFactory.getLogger(RunArtifacts.class);

    private final RunExecution run;
    private final ArtifactStore store;

    RunArtifacts(RunExecution run) {
        this.run = run;
        this.store = run.ports.artifacts();
    }

    /** Zips the task's artifact files and stages the zip; a failure to do so fails the task. */
    Outcome collect(TaskRun t, RunningTask process, Outcome outcome) {
        try {
            Path zip = store.newStagingFile(run.key(), t.name());
            int files = process.collectArtifacts(t.task.artifacts(), zip);
            if (files == 0) {
                Files.deleteIfExists(zip);
                run.note(t, "no files matched artifacts " + t.task.artifacts());
                return outcome;
            }
            Path staged = store.stage(run.key(), t.name(), zip);
            t.artifacts(staged.toString());
            // the name the artifact is listed and downloaded by (TASK.zip), not the file's safe name on disk, nor its path
            run.note(t, "artifacts: " + files + " file(s) kept as " + t.name() + ".zip");
            List<String> unmatched = ArtifactZip.unmatched(t.task.artifacts(), entries(staged));
            if (!unmatched.isEmpty()) run.note(t, "no files matched artifacts " + unmatched);
            return outcome;
        } catch (IOException | RuntimeException e) {
            run.note(t, "cannot collect artifacts: " + e.getMessage());
            return new Outcome.Failed(0, "artifacts could not be collected: " + e.getMessage());
        }
    }

    private static List<String> entries(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.stream().map(ZipEntry::getName).toList();
        }
    }

    /**
     * Drops what an earlier attempt of the task staged: a new attempt's artifacts are its own, or none (a retried
     * task whose second attempt matched no file must not publish the first one's zip).
     */
    void discard(TaskRun t) {
        String staged = t.artifacts();
        if (staged == null) return;
        try {
            Files.deleteIfExists(Path.of(staged));
        } catch (IOException e) {
            LOG.warn("run {}: cannot drop the artifacts an earlier attempt of {} staged: {}", run.key(), t.name(), e.toString());
        }
        t.artifacts(null);
    }

    /** Stages a copy of a reused task's zip in this run; returns where, or null when it had none (or it is gone). */
    String stageReused(TaskRun t, ReusedTask earlier) {
        Path zip = earlier.artifacts();
        if (zip == null) return null;
        if (!Files.isRegularFile(zip)) {
            LOG.warn("run {}: the artifacts of {} from run {} are gone ({})", run.key(), t.name(), earlier.fromRun(), zip);
            return null;
        }
        try {
            Path copy = store.newStagingFile(run.key(), t.name());
            Files.copy(zip, copy, StandardCopyOption.REPLACE_EXISTING);
            return store.stage(run.key(), t.name(), copy).toString();
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {}: cannot take over the artifacts of {} from run {}: {}", run.key(), t.name(),
                    earlier.fromRun(), e.toString());
            return null;
        }
    }

    /** Publishes the staged zips of a run that succeeded, else keeps them unpublished; the tasks learn where. */
    void finish(RunState end, String reason, Collection<TaskRun> tasks) {
        try {
            Map<String, Path> kept = end == RunState.SUCCEEDED ? store.publish(run.key())
                    : store.keepUnpublished(run.key(), "run " + end.label() + (reason.isEmpty() ? "" : ": " + reason));
            for (TaskRun t : tasks) {
                Path p = kept.get(SafeFileName.of(t.name()));
                if (t.artifacts() != null && p != null) t.artifacts(p.toString());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {}: cannot publish artifacts: {}", run.key(), e.toString());
        }
    }
}
