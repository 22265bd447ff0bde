package io.stoker.engine.run;

import java.util.concurrent.CompletableFuture;

/** A run in progress. Thread-safe. */
public interface RunHandle {

    String key();

    /** The run's state now. */
    RunRecord snapshot();

    /**
     * Whether the run only waits: a task waits at an approval gate or for a run its trigger step started, and
     * nothing else is queued or running. Such a run needs no executor slot until a gate is decided or a triggered
     * run ends.
     */
    default boolean parked() {
        return false;
    }

    /**
     * The tasks that wait for a run their trigger step started: they run no process and hold no slot meanwhile.
     */
    default java.util.Set<String> awaitingRuns() {
        return java.util.Set.of();
    }

    /** Cancels the run: running tasks' process trees are killed, pending tasks cancelled. Idempotent. */
    void cancel();

    /**
     * Stops the run without ending it in the store, as a stopping server does: running tasks' process trees are
     * killed (each such task's log says {@code note} first), nothing more starts, and no state or event of the run is
     * saved or published any more. The store keeps it {@code running}, so the next start ends it as after a crash
     * (failed, or queued again when its job says {@code retryOnRestart}). {@link #result()} still completes.
     */
    void abandon(String note);

    /** Completes with the final record when the run has ended. */
    CompletableFuture<RunRecord> result();

    /** Blocks until the run ended. */
    default RunRecord await() throws InterruptedException {
        try {
            return result().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("run " + key() + " broke", e.getCause());
        }
    }
}
