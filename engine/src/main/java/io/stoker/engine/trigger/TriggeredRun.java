package io.stoker.engine.trigger;

import io.stoker.engine.run.RunState;

import java.util.concurrent.CompletableFuture;

/**
 * A run started by a trigger step.
 *
 * @param key the new run's key, logged by the triggering task so a reader can follow it
 * @param end completes with the run's final state; cancelled by the engine when the step stops waiting
 */
public record TriggeredRun(String key, CompletableFuture<RunState> end) {
}
