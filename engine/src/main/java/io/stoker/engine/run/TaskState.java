package io.stoker.engine.run;

import java.util.Locale;

/** A task's life: {@code pending → queued → running → succeeded | failed | timedout | cancelled | skipped}. */
public enum TaskState {
    PENDING, QUEUED, RUNNING, SUCCEEDED, FAILED, TIMEDOUT, CANCELLED, SKIPPED;

    public boolean isFinal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** Lower-case name as shown to users and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
