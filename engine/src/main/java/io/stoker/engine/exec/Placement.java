package io.stoker.engine.exec;

/**
 * Where an attempt an executor accepted stands before its process runs: an executor that must first find a place
 * for it (a free agent) says it waits, and why, then that it started. One that starts at once says nothing.
 */
public sealed interface Placement {

    /** The attempt waits for the executor to find it a place; {@code reason} says for what, in words. */
    record Waiting(String reason) implements Placement {
        public Waiting {
            if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a wait needs a reason");
        }
    }

    /** The attempt's process started: from now on it runs. */
    record Started() implements Placement {
    }
}
