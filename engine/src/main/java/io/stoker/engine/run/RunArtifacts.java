package io.stoker.engine.run;

import io.stoker.engine.artifact.ArtifactStore;
import io.stoker.engine.exec.CollectedArtifacts;
import io.stoker.engine.exec.CollectionStopped;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.local.ArtifactZip;
import io.stoker.engine.files.SafeFileName;
import io.stoker.engine.files.ZipIntoDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A run's artifacts through the {@link ArtifactStore}: a task's zip is staged when its last process succeeded or a
 * process of its last attempt failed, as its {@code when:} asks (or copied from the earlier run when the task is
 * reused, and then also unpacked into the workspace before any task runs), and at the end published with the run or
 * kept unpublished.
 */
final class RunArtifacts {
    private static final Logger LOG = LoggerFactory.getLogger(RunArtifacts.class);
    /** How many restored files a reused task's log names before it only counts the rest. */
    private static final int NAMED = 5;
    /** How long a task that ran out of its time limit may still take to zip its artifacts. */
    static final Duration AFTER_TIMEOUT = Duration.ofMinutes(1);

    private final RunExecution run;
    private final ArtifactStore store;
    /** Reused task → what its log says came back into the workspace. */
    private final Map<String, String> restored = new ConcurrentHashMap<>();

    RunArtifacts(RunExecution run) {
        this.run = run;
        this.store = run.ports.artifacts();
    }

    /**
     * Whether a process that ended as {@code outcome} collects the task's artifacts: a success when it is the
     * attempt's last process ({@code lastProcess}) and the task's {@code when:} keeps them after success; a failure
     * or the task's own time limit (a test suite that hung keeps the reports it wrote, as GitLab's script timeout and
     * Jenkins' {@code post} do) when no attempt follows ({@code lastAttempt}) and its {@code when:} keeps them after
     * failure. Not while the run stops (a cancel, the job's time limit): the person or limit that stopped it waits for
     * nothing more. An attempt the executor gave up on ({@code gaveUp}: its agent lost, its files maybe not brought
     * back) collects nothing.
     */
    boolean due(TaskRun t, Outcome outcome, boolean gaveUp, boolean lastProcess, boolean lastAttempt) {
        if (t.task.artifacts().isEmpty() || gaveUp) return false;
        return switch (outcome) {
            case Outcome.Succeeded s -> lastProcess && t.task.artifactsWhen().afterSuccess();
            case Outcome.Failed f -> lastAttempt && !run.stopping() && t.task.artifactsWhen().afterFailure();
            case Outcome.TimedOut o -> lastAttempt && !run.stopping() && t.task.artifactsWhen().afterFailure();
            default -> false;
        };
    }

    /**
     * Zips the task's artifact files and stages the zip; a failure to do so fails a task that succeeded (one that
     * failed keeps its own failure, the reason named in its log). A cancel, the job's
     * timeout or the attempt's {@code deadline} stops the zipping (gigabytes of files can take minutes) and ends the
     * task as that stop does, keeping nothing. An attempt that ran out of its time has {@link #AFTER_TIMEOUT} more
     * to zip what it left.
     */
    Outcome collect(TaskRun t, RunningTask process, Outcome outcome, Deadline deadline) {
        Path zip = null;
        Deadline bound = outcome instanceof Outcome.TimedOut ? Deadline.after(AFTER_TIMEOUT) : deadline;
        try {
            zip = store.newStagingFile(run.key(), t.name());
            CollectedArtifacts collected = process.collectArtifacts(t.task.artifacts(), zip,
                    () -> run.stopping() || bound.passed());
            for (String left : collected.leftOut()) run.note(t, "artifact left out: " + left);
            int files = collected.files();
            if (files == 0) {
                Files.deleteIfExists(zip);
                run.note(t, "no files matched artifacts " + t.task.artifacts());
                return outcome;
            }
            Path staged = store.stage(run.key(), t.name(), zip);
            t.artifacts(staged.toString());
            // the name the artifact is listed and downloaded by (TASK.zip), not the file's safe name on disk, nor its path
            run.note(t, "artifacts: " + Count.of(files, "file") + " kept as " + t.name() + ".zip");
            List<String> unmatched = ArtifactZip.unmatched(t.task.artifacts(), entries(staged));
            if (!unmatched.isEmpty()) run.note(t, "no files matched artifacts " + unmatched);
            return outcome;
        } catch (CollectionStopped e) {
            deletePart(zip);
            Outcome stop = run.stopping() ? run.stopOutcome()
                    : outcome instanceof Outcome.TimedOut ? outcome : deadline.outcome();
            run.note(t, "artifact collection " + e.getMessage() + " (" + stop.reason() + ")");
            return stop;
        } catch (IOException | RuntimeException e) {
            deletePart(zip);
            run.note(t, "cannot collect artifacts: " + e.getMessage());
            return outcome instanceof Outcome.Succeeded
                    ? new Outcome.Failed(0, "artifacts could not be collected: " + e.getMessage()) : outcome;
        }
    }

    /** A staging file that was not staged: cut short, it must not be taken for the task's artifacts. */
    private static void deletePart(Path zip) {
        if (zip != null) zip.toFile().delete();
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

    /**
     * Unpacks the artifacts of the reused tasks into the run's workspace, over what it was filled with (a checkout),
     * in start order so that a task's copy of a file wins over the copy of a task it needs: the tasks that run find
     * the files as if the reused ones had run before them, as their zips hold paths relative to the workspace.
     */
    void restoreReused(List<String> reusedInStartOrder) {
        for (String name : reusedInStartOrder) {
            Path zip = run.request.reused().get(name).artifacts();
            if (zip == null) continue;
            if (!Files.isRegularFile(zip)) {
                restored.put(name, "its artifacts are gone: nothing restored into the workspace");
                continue;
            }
            try {
                restored.put(name, said(ZipIntoDirectory.unpack(zip, run.request.workspace())));
            } catch (IOException | RuntimeException e) {
                LOG.warn("run {}: cannot restore the artifacts of {} into the workspace: {}", run.key(), name,
                        e.toString());
                restored.put(name, "its artifacts could not be restored into the workspace: " + e.getMessage());
            }
        }
    }

    /** What {@link #restoreReused} did for the task, in words for its log; empty when it had no artifacts. */
    String restored(String task) {
        return restored.getOrDefault(task, "");
    }

    private static String said(ZipIntoDirectory.Unpacked u) {
        int n = u.written().size();
        String s = (n == 1 ? "1 file" : n + " files") + " restored into the workspace"
                + (n == 0 ? "" : ": " + named(u.written()));
        return u.leftOut().isEmpty() ? s : s + "; " + u.leftOut().size() + " left out: " + named(u.leftOut());
    }

    private static String named(List<String> paths) {
        if (paths.size() <= NAMED) return String.join(", ", paths);
        return String.join(", ", paths.subList(0, NAMED)) + " and " + (paths.size() - NAMED) + " more";
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
