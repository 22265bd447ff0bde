package io.stoker.engine.run;

import java.util.Locale;

/**
 * A task's life: {@code pending → [waiting →] queued → running → succeeded | failed | timedout | cancelled | skipped};
 * {@code waiting} is an approval gate that holds no executor slot.
 */
public enum TaskState {
    PENDING, WAITING, QUEUED, RUNNING, SUCCEEDED, FAILED, TIMEDOUT, CANCELLED, SKIPPED;

    public boolean isFinal() {
        return ordinal() >= SUCCEEDED.ordinal();
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
