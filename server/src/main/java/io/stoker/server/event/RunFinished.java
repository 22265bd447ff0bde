package io.stoker.server.event;

import io.stoker.engine.run.RunState;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A run ended in {@code state} (a final one). */
public record RunFinished(String run, String project, String job, RunState state, Instant time) implements LifecycleEvent {
    public RunFinished {
        if (!state.isFinal()) throw new IllegalArgumentException("a run does not finish as " + state.label());
    }

    @Override
    public Map<String, Object> json() {
        return runJson(this, state);
    }

    static Map<String, Object> runJson(LifecycleEvent e, RunState state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "run");
        m.put("run", e.run());
        m.put("project", e.project());
        m.put("job", e.job());
        m.put("status", state.label());
        m.put("time", e.time().toString());
        return m;
    }
}
