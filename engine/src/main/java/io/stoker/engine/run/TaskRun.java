package io.stoker.engine.run;

import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.log.SecretMask;
import io.stoker.engine.log.TaskLog;
import io.stoker.model.Task;

import java.time.Instant;
import java.util.Map;

/** The mutable state of one task within a run; guarded by the owning {@link RunExecution}'s lock. */
final class TaskRun {
    final Task task;
    TaskState state = TaskState.PENDING;
    Outcome outcome;
    int attempts;
    volatile Map<String, String> outputs = Map.of();
    volatile TaskLog log;
    volatile String artifacts;
    Instant startedAt;
    Instant endedAt;
    RunningTask current;
    /** What a trigger step of the current attempt waits for; cancelled by a cancel or a time limit. */
    java.util.concurrent.CompletableFuture<?> waiting;
    /** Set by a timer or a cancel before killing the current attempt: how the attempt is to be reported. */
    volatile Outcome killedAs;
    /** Set when every reader of this pipe writer exited and its stdout was closed on purpose. */
    volatile boolean stdoutClosedByReaders;

    TaskRun(Task task) {
        this.task = task;
    }

    String name() {
        return task.name();
    }

    /** The record as persisted and reported: output values are masked (dependants render the real ones). */
    TaskRecord record(SecretMask mask) {
        Map<String, String> shown = outputs;
        if (!mask.isEmpty() && !shown.isEmpty()) {
            shown = new java.util.LinkedHashMap<>();
            for (var e : outputs.entrySet()) {
                shown.put(e.getKey(), String.join("\n", e.getValue().lines().map(mask::apply).toList()));
            }
        }
        return new TaskRecord(task.name(), state, outcome, attempts, shown,
                log == null ? null : log.location(), artifacts, startedAt, endedAt);
    }
}
