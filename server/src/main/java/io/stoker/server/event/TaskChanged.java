package io.stoker.server.event;

import io.stoker.engine.run.TaskState;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task of a run changed state; {@code attempt} counts from 1 while it runs, {@code exitCode} is set once it
 * ended with one; {@code allowedFailure} when it failed or timed out and was allowed to (the run goes on);
 * {@code waitingFor} what it waits for while {@code starting} (an agent with a free slot), else null.
 */
public record TaskChanged(String run, String project, String job, String task, TaskState state, int attempt,
                          Integer exitCode, Instant time, boolean allowedFailure, String waitingFor)
        implements LifecycleEvent {
    @Override
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "task");
        m.put("run", run);
        m.put("project", project);
        m.put("job", job);
        m.put("task", task);
        m.put("status", state.label());
        m.put("attempt", attempt);
        if (state.isFinal()) m.put("exitCode", exitCode);
        if (allowedFailure) m.put("allowedFailure", true);
        if (waitingFor != null) m.put("reason", waitingFor);
        m.put("time", time.toString());
        return m;
    }
}
