package io.stoker.engine.run;

import io.stoker.engine.approval.Gate;

import java.time.Instant;

/**
 * A task's approval gate opened (it waits) or was decided; {@code gate} is its state after the change.
 *
 * @param reopened the gate waited when the server stopped and opens again as it was, in the run resumed after the
 *                 restart: it was asked for already (who would decide was told then)
 */
public record GateEvent(String runKey, String task, Gate gate, Instant time, boolean reopened) implements EngineEvent {

    /** A gate that opened or was decided in this run's own time, not reopened after a restart. */
    public GateEvent(String runKey, String task, Gate gate, Instant time) {
        this(runKey, task, gate, time, false);
    }
}
