package io.stoker.engine.run;

import java.util.Locale;

/**
 * A task's life: {@code pending → [waiting →] queued → [starting →] running → succeeded | failed | timedout | cancelled
 * | skipped}; {@code waiting} is an approval gate that holds no executor slot; {@code starting} is an attempt its
 * executor accepted but has not started yet (it waits for an agent with a free slot; the task's reason says for which).
 */
public enum TaskState {
    PENDING, WAITING, QUEUED, STARTING, RUNNING, SUCCEEDED, FAILED, TIMEDOUT, CANCELLED, SKIPPED;

    public boolean isFinal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** Starting or running: an attempt was handed to the executor and has not ended; a cancel or a stop kills it. */
    public boolean inAttempt() {
        return this == STARTING || this == RUNNING;
    }

    /** Failed or timed out: an end that fails the run, unless the task is allowed to fail. */
    public boolean isFailure() {
        return this == FAILED || this == TIMEDOUT;
    }

    /** Lower-case name as shown to users and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
