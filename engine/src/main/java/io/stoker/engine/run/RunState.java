package io.stoker.engine.run;

import java.util.Locale;

/** A run's life: {@code queued → running → succeeded | failed | timedout | cancelled}. */
public enum RunState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, TIMEDOUT, CANCELLED;

    public boolean isFinal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** Lower-case name as shown to users and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
