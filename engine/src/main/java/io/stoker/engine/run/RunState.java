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

    /** The state in a sentence's words: "timed out", where {@link #label()} is "timedout". */
    public String words() {
        return this == TIMEDOUT ? "timed out" : label();
    }
}
