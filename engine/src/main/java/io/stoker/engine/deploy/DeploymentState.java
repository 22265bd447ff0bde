package io.stoker.engine.deploy;

import java.util.Locale;

/** Where a deployment stands: its run goes, the version works there, it did not, or the run was cancelled. */
public enum DeploymentState {
    RUNNING, GOOD, BAD, CANCELLED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this != RUNNING;
    }
}
