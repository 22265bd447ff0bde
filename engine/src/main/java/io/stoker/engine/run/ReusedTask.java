package io.stoker.engine.run;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A task of an earlier run whose result a new run takes over instead of running it (a partial rerun), or a task that
 * ended in a run before the server restarted, which that run keeps as it resumes. The engine
 * ends the task in its recorded state without executing it, once the tasks it needs have ended; its recorded
 * outputs reach dependants and its artifact zip is staged in the new run, exactly as if it had run. The zip is also
 * unpacked into the new run's workspace before any task starts, so the tasks that run find its artifacts where it
 * collected them; files it left in its workspace without collecting them are not there.
 *
 * @param fromRun   the run it is taken from (the task's log names it)
 * @param state     its final state there
 * @param outputs   its recorded outputs (as recorded: a value masked there stays masked)
 * @param artifacts its artifact zip, null when it had none
 * @param resumed   how it ran, when the run taking it over is its own run resumed after a restart of the server (it
 *                  keeps its attempts and times, and its log says why it ends again); null for a partial rerun,
 *                  whose task ends when it is taken over
 */
public record ReusedTask(String fromRun, TaskState state, Map<String, String> outputs, Path artifacts,
                         RanBefore resumed) {

    /**
     * How a task ran in its run before the server restarted.
     *
     * @param attempts  how many attempts it took
     * @param startedAt when it started (null: it never did, e.g. skipped)
     * @param endedAt   when it ended
     */
    public record RanBefore(int attempts, Instant startedAt, Instant endedAt) {
    }

    public ReusedTask {
        if (state == null || !state.isFinal()) {
            throw new IllegalArgumentException("a reused task must have ended, was " + state);
        }
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    }

    /** A task a partial rerun takes over from the earlier run {@code fromRun}. */
    public ReusedTask(String fromRun, TaskState state, Map<String, String> outputs, Path artifacts) {
        this(fromRun, state, outputs, artifacts, null);
    }

    /**
     * A task that ended in its own run {@code run} before the server restarted, kept as it ended (attempts and
     * times included) when that run resumes ({@link RunRequest#resumed()}).
     */
    public static ReusedTask kept(String run, TaskRecord ended) {
        return new ReusedTask(run, ended.state(), ended.outputs(),
                ended.artifacts() == null ? null : Path.of(ended.artifacts()),
                new RanBefore(ended.attempts(), ended.startedAt(), ended.endedAt()));
    }

    /** How the task ends in the new run. */
    Outcome outcome() {
        String why = "as in run " + fromRun;
        return switch (state) {
            case SUCCEEDED -> new Outcome.Succeeded();
            case FAILED -> new Outcome.Failed(null, why);
            case TIMEDOUT -> new Outcome.TimedOut(why);
            case CANCELLED -> new Outcome.Cancelled(why);
            case SKIPPED -> new Outcome.Skipped(why);
            default -> throw new IllegalStateException("not final: " + state);
        };
    }
}
