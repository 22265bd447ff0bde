package io.stoker.engine.run;

import io.stoker.engine.approval.Gate;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.image.ImageDigest;
import io.stoker.engine.log.SecretMask;
import io.stoker.engine.log.TaskLog;
import io.stoker.engine.tests.TestSummary;
import io.stoker.model.Task;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The mutable state of one task within a run. Every field is guarded by the run's lock: each accessor takes it
 * (it is reentrant), so a single read or write is safe from any thread, and a caller that decides on several
 * fields or tasks at once holds the lock around the whole decision.
 */
final class TaskRun {
    final Task task;
    private final Object lock;
    private TaskState state = TaskState.PENDING;
    private Outcome outcome;
    private int attempts;
    private Map<String, String> outputs = Map.of();
    private TaskLog log;
    private String artifacts;
    private Instant startedAt;
    private Instant endedAt;
    /** What the current attempt waits for before its executor starts it (state starting), else null. */
    private String waitingFor;
    /**
     * What it showed before its current attempt entered, while that attempt is not told yet (its executor may first
     * say it waits for a place: the attempt is then told {@code starting}, never {@code running} first); else null.
     */
    private TaskState untold;
    /** When it ended before a restart of the server, for a task its resumed run keeps; null otherwise. */
    private Instant endedBefore;
    /** The process of the current attempt, while it runs. */
    private RunningTask current;
    /** What a trigger step of the current attempt waits for; cancelled by a cancel or a time limit. */
    private CompletableFuture<?> waiting;
    /** Set by a time limit or a cancel before the current attempt is killed: how the attempt is to be reported. */
    private Outcome killedAs;
    /** Its approval gate once opened. */
    private Gate gate;
    /** Ended failed or timed out while allowed to: it does not fail the run (see {@link RunExecution#finish}). */
    private boolean allowedFailure;
    /** The images it ran in and pushed, each once. */
    private final Set<ImageDigest> images = new LinkedHashSet<>();
    /** What the test reports of its last attempt said, null when none were read. */
    private TestSummary tests;

    TaskRun(Task task, Object lock) {
        this.task = task;
        this.lock = lock;
    }

    String name() {
        return task.name();
    }

    TaskState state() {
        synchronized (lock) {
            return state;
        }
    }

    Outcome outcome() {
        synchronized (lock) {
            return outcome;
        }
    }

    int attempts() {
        synchronized (lock) {
            return attempts;
        }
    }

    /** Queued: its group was decided and waits for slots. */
    void queue() {
        synchronized (lock) {
            state = TaskState.QUEUED;
        }
    }

    /** Waiting at its approval gate; holds no slot. */
    void waitAt(Gate opened) {
        synchronized (lock) {
            state = TaskState.WAITING;
            gate = opened;
        }
    }

    Gate gate() {
        synchronized (lock) {
            return gate;
        }
    }

    void gate(Gate decided) {
        synchronized (lock) {
            gate = decided;
        }
    }

    /**
     * Running attempt {@code attempt}, not told yet ({@link #tell()}); the first attempt sets the start time. Until
     * it is told, its record shows what it was before.
     */
    void enter(int attempt, Instant now) {
        synchronized (lock) {
            if (untold == null) untold = state;
            attempts = attempt;
            state = TaskState.RUNNING;
            killedAs = null;
            waitingFor = null;
            if (startedAt == null) startedAt = now;
        }
    }

    /** Whether the attempt it entered was not told yet; from now on it is (its record shows it as it is). */
    boolean tell() {
        synchronized (lock) {
            boolean was = untold != null;
            untold = null;
            return was;
        }
    }

    /**
     * Its executor accepted the attempt but waits before starting it ({@code why}); a first attempt has not really
     * started, so it has no start time until it does. Nothing changes once the attempt was placed or ended.
     */
    boolean awaitPlace(String why) {
        synchronized (lock) {
            if (!state.inAttempt() || killedAs != null) return false;
            if (state == TaskState.STARTING && why.equals(waitingFor)) return false;
            state = TaskState.STARTING;
            untold = null;
            waitingFor = why;
            if (attempts == 1) startedAt = null;
            return true;
        }
    }

    /** Its executor started the attempt it waited with: running from now (the first start sets the start time). */
    boolean placed(Instant now) {
        synchronized (lock) {
            if (state != TaskState.STARTING) return false;
            state = TaskState.RUNNING;
            waitingFor = null;
            if (startedAt == null) startedAt = now;
            return true;
        }
    }

    String waitingFor() {
        synchronized (lock) {
            return waitingFor;
        }
    }

    /**
     * Ran {@code attempts} from {@code started} to {@code ended} before a restart of the server: its run resumed and
     * keeps its end, which {@link #end} then dates as it was.
     */
    void ranBefore(int attempts, Instant started, Instant ended) {
        synchronized (lock) {
            this.attempts = attempts;
            startedAt = started;
            endedBefore = ended;
        }
    }

    /** Sealed with its outcome (an allowed failure or not); returns how long it ran, or -1 when it never started. */
    long end(Outcome how, boolean allowed, Instant now) {
        synchronized (lock) {
            outcome = how;
            state = how.state();
            untold = null;
            waitingFor = null;
            allowedFailure = allowed;
            endedAt = endedBefore != null ? endedBefore : now;
            return startedAt == null ? -1 : java.time.Duration.between(startedAt, endedAt).toMillis();
        }
    }

    /** Whether it ended as an allowed failure. */
    boolean allowedFailure() {
        synchronized (lock) {
            return allowedFailure;
        }
    }

    /** Whether it ended so that the tasks after it run as after a success: succeeded, or an allowed failure. */
    boolean passed() {
        synchronized (lock) {
            return state == TaskState.SUCCEEDED || allowedFailure;
        }
    }

    /** Whether its end fails the run: failed or timed out, and not allowed to. */
    boolean failsRun() {
        synchronized (lock) {
            return state.isFailure() && !allowedFailure;
        }
    }

    Map<String, String> outputs() {
        synchronized (lock) {
            return outputs;
        }
    }

    void outputs(Map<String, String> values) {
        synchronized (lock) {
            outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    TaskLog log() {
        synchronized (lock) {
            return log;
        }
    }

    void log(TaskLog opened) {
        synchronized (lock) {
            log = opened;
        }
    }

    String artifacts() {
        synchronized (lock) {
            return artifacts;
        }
    }

    void artifacts(String where) {
        synchronized (lock) {
            artifacts = where;
        }
    }

    void tests(TestSummary summary) {
        synchronized (lock) {
            tests = summary;
        }
    }

    RunningTask current() {
        synchronized (lock) {
            return current;
        }
    }

    void current(RunningTask process) {
        synchronized (lock) {
            current = process;
        }
    }

    CompletableFuture<?> waiting() {
        synchronized (lock) {
            return waiting;
        }
    }

    void waiting(CompletableFuture<?> future) {
        synchronized (lock) {
            waiting = future;
        }
    }

    /** An image it ran in or pushed. */
    void image(ImageDigest image) {
        synchronized (lock) {
            images.add(image);
        }
    }

    Outcome killedAs() {
        synchronized (lock) {
            return killedAs;
        }
    }

    void killedAs(Outcome how) {
        synchronized (lock) {
            killedAs = how;
        }
    }

    /**
     * The record as persisted and reported: output names and values are masked (dependants render the real ones);
     * names a mask makes equal keep every value, one per line.
     */
    TaskRecord record(SecretMask mask) {
        synchronized (lock) {
            Map<String, String> shown = outputs;
            if (!mask.isEmpty() && !shown.isEmpty()) {
                shown = new LinkedHashMap<>();
                for (var e : outputs.entrySet()) {
                    shown.merge(mask.apply(e.getKey()), String.join("\n", e.getValue().lines().map(mask::apply).toList()),
                            (first, next) -> first + "\n" + next);
                }
            }
            return new TaskRecord(task.name(), untold != null ? untold : state, outcome, attempts, shown,
                    log == null ? null : log.location(), artifacts, startedAt, endedAt, gate, List.copyOf(images),
                    allowedFailure, waitingFor, tests == null || mask.isEmpty() ? tests : tests.masked(mask::apply));
        }
    }
}
