package io.stoker.server.run;

import io.stoker.engine.approval.Gate;
import io.stoker.engine.run.ReusedTask;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.TaskRecord;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run that a restart found waiting at its approval gates takes back when it starts again
 * ({@link RunRepository#recover} queued it as it was): the tasks that had ended, kept as they ended, and each task's
 * gate, which opens again as it was if it still waited. Nothing for a run that never started, or one queued again
 * from scratch ({@code retryOnRestart} clears its tasks).
 *
 * @param ended task name → its own earlier end, taken over instead of running it again
 * @param gates task name → its gate as stored
 */
record ResumedRun(Map<String, ReusedTask> ended, Map<String, Gate> gates) {

    ResumedRun {
        ended = Map.copyOf(ended);
        gates = Map.copyOf(gates);
    }

    static ResumedRun of(RunRow row) {
        if (row.startedAt() == null) return new ResumedRun(Map.of(), Map.of());
        RunRecord stored = H2RunStore.record(row);
        Map<String, ReusedTask> ended = new LinkedHashMap<>();
        Map<String, Gate> gates = new LinkedHashMap<>();
        for (TaskRecord task : stored.tasks().values()) {
            if (task.state().isFinal()) ended.put(task.name(), ReusedTask.kept(row.key(), task));
            if (task.approval() != null) gates.put(task.name(), task.approval());
        }
        return new ResumedRun(ended, gates);
    }
}
