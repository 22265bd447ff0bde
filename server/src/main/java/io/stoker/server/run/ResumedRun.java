package io.stoker.server.run;

import io.stoker.engine.approval.Gate;
import io.stoker.engine.run.Resumption;
import io.stoker.engine.run.ReusedTask;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.TaskRecord;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run that a restart found waiting at its approval gates takes back when it starts again
 * ({@link RunRepository#recover} queued it as it was): the tasks that had ended, kept as they ended, its first start
 * (its job's timeout counts from there) and each task's gate, which opens again as it was if it still waited. Nothing
 * for a run that never started, or one queued again from scratch ({@code retryOnRestart} clears its tasks, and its
 * time counts anew).
 *
 * @param ended   task name → its own earlier end, taken over instead of running it again
 * @param resumed its first start and its tasks' gates as stored; {@link Resumption#NONE} when it does not resume
 */
record ResumedRun(Map<String, ReusedTask> ended, Resumption resumed) {

    ResumedRun {
        ended = Map.copyOf(ended);
    }

    static ResumedRun of(RunRow row) {
        if (row.startedAt() == null) return new ResumedRun(Map.of(), Resumption.NONE);
        RunRecord stored = H2RunStore.record(row);
        Map<String, ReusedTask> ended = new LinkedHashMap<>();
        Map<String, Gate> gates = new LinkedHashMap<>();
        for (TaskRecord task : stored.tasks().values()) {
            if (task.state().isFinal()) ended.put(task.name(), ReusedTask.kept(row.key(), task));
            if (task.approval() != null) gates.put(task.name(), task.approval());
        }
        // only a run that waited at a gate resumes; one cleared to start again from scratch has none
        return new ResumedRun(ended, gates.isEmpty() ? Resumption.NONE : new Resumption(row.startedAt(), gates));
    }
}
