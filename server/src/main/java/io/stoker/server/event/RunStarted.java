package io.stoker.server.event;

import io.stoker.engine.run.RunState;

import java.time.Instant;
import java.util.Map;

/** A run left the queue and is running. */
public record RunStarted(String run, String project, String job, Instant time) implements LifecycleEvent {
    @Override
    public Map<String, Object> json() {
        return RunFinished.runJson(this, RunState.RUNNING);
    }
}
