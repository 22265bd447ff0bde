package io.stoker.engine.run;

import io.stoker.engine.approval.Gate;

import java.time.Instant;

/** A task's approval gate opened (it waits) or was decided; {@code gate} is its state after the change. */
public record GateEvent(String runKey, String task, Gate gate, Instant time) implements EngineEvent {
}
