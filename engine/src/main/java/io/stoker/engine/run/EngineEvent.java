package io.stoker.engine.run;

import java.time.Instant;

/**
 * Something that changed in a run, published to its {@link RunListener} only after the state it reports was saved
 * through the {@link RunStore}: whoever sees an event and then reads the store reads that state or a later one.
 */
public sealed interface EngineEvent permits RunEvent, TaskEvent, GateEvent {

    String runKey();

    Instant time();
}
