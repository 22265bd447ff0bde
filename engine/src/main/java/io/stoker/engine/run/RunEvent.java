package io.stoker.engine.run;

import java.time.Instant;

/** A run changed state. */
public record RunEvent(String runKey, RunState state, Instant time) implements EngineEvent {
}
