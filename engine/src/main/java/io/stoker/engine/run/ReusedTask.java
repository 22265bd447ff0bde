package io.stoker.engine.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * A task of an earlier run whose result a new run takes over instead of running it (a partial rerun). The engine
 * ends the task in its recorded state without executing it, once the tasks it needs have ended; its recorded
 * outputs reach dependants and its artifact zip is staged in the new run, exactly as if it had run. The zip is also
 * unpacked into the new run's workspace before any task starts, so the tasks that run find its artifacts where it
 * collected them; files it left in its workspace without collecting them are not there.
 *
 * @param fromRun   the run it is taken from (the task's log names it)
 * @param state     its final state there
 * @param outputs   its recorded outputs (as recorded: a value masked there stays masked)
 * @param artifacts its artifact zip, null when it had none
 */
public record ReusedTask(String fromRun, TaskState state, Map<String, String> outputs, Path artifacts) {

    public ReusedTask {
        if (state == null || !state.isFinal()) {
            throw new IllegalArgumentException("a reused task must have ended, was " + state);
        }
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
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
