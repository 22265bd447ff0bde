package io.stoker.server.event;

import java.time.Instant;
import java.util.Map;

/**
 * A run or task state change (or, once, {@link ServerReady}; or an agent's, or a deployment's verdict), published on
 * the {@link EventHub} only after it was saved, so whoever reacts to it (an {@code /events} stream, a log follower, an
 * upstream trigger, a trigger step) reads the same state from {@code GET /runs/KEY} (or the project's deployments).
 */
public sealed interface LifecycleEvent permits RunQueued, RunStarted, RunFinished, TaskChanged, GateChanged, ServerReady,
        AgentChanged, DeploymentEnded {
    /**
     * The run's key (null for {@link ServerReady} and {@link AgentChanged}; for {@link DeploymentEnded} the
     * deployment's run).
     */
    String run();

    String project();

    String job();

    Instant time();

    /**
     * The {@code /events} stream's event name: {@code run}, {@code task}, {@code approval}, {@code server},
     * {@code agent} or {@code deployment}.
     */
    default String type() {
        return switch (this) {
            case TaskChanged t -> "task";
            case GateChanged g -> "approval";
            case RunQueued r -> "run";
            case RunStarted r -> "run";
            case RunFinished r -> "run";
            case ServerReady s -> "server";
            case AgentChanged a -> "agent";
            case DeploymentEnded d -> "deployment";
        };
    }

    /** The {@code /events} JSON of this event (field names are API: scripts read them). */
    Map<String, Object> json();
}
