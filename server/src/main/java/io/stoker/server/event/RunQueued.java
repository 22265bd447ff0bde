package io.stoker.server.event;

import io.stoker.engine.run.RunState;

import java.time.Instant;
import java.util.Map;

/** A run was queued. */
public record RunQueued(String run, String project, String job, Instant time) implements LifecycleEvent {
    @Override
    public Map<String, Object> json() {
        return RunFinished.runJson(this, RunState.QUEUED);
    }
}
