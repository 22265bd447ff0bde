package io.stoker.server.event;

import java.time.Instant;
import java.util.Map;

/**
 * A run or task state change, published on the {@link EventHub} only after it was saved, so whoever reacts to it
 * (an {@code /events} stream, a log follower, an upstream trigger, a trigger step) reads the same state from
 * {@code GET /runs/KEY}.
 */
public sealed interface LifecycleEvent permits RunQueued, RunStarted, RunFinished, TaskChanged, GateChanged {
    /** The run's key. */
    String run();

    String project();

    String job();

    Instant time();

    /** The {@code /events} stream's event name: {@code run}, {@code task} or {@code approval}. */
    default String type() {
        return switch (this) {
            case TaskChanged t -> "task";
            case GateChanged g -> "approval";
            case RunQueued r -> "run";
            case RunStarted r -> "run";
            case RunFinished r -> "run";
        };
    }

    /** The {@code /events} JSON of this event (field names are API: scripts read them). */
    Map<String, Object> json();
}
