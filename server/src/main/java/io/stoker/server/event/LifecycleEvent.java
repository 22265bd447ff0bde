package io.stoker.server.event;

import java.time.Instant;
import java.util.Map;

/**
 * A run or task state change (or, once, {@link ServerReady}), published on the {@link EventHub} only after it was saved, so whoever reacts to it
 * (an {@code /events} stream, a log follower, an upstream trigger, a trigger step) reads the same state from
 * {@code GET /runs/KEY}.
 */
public sealed interface LifecycleEvent permits RunQueued, RunStarted, RunFinished, TaskChanged, GateChanged, ServerReady,
        AgentChanged {
    /** The run's key (null for {@link ServerReady} and {@link AgentChanged}). */
    String run();

    String project();

    String job();

    Instant time();

    /** The {@code /events} stream's event name: {@code run}, {@code task}, {@code approval}, {@code server} or {@code agent}. */
    default String type() {
        return switch (this) {
            case TaskChanged t -> "task";
            case GateChanged g -> "approval";
            case RunQueued r -> "run";
            case RunStarted r -> "run";
            case RunFinished r -> "run";
            case ServerReady s -> "server";
            case AgentChanged a -> "agent";
        };
    }

    /** The {@code /events} JSON of this event (field names are API: scripts read them). */
    Map<String, Object> json();
}
