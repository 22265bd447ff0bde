package io.stoker.engine.deploy;

import java.util.Locale;

/**
 * Where a deployment stands: its run goes, the version works there, it did not, the run was cancelled, or the server
 * stopped under it (a crash: the version was never judged).
 */
public enum DeploymentState {
    RUNNING, GOOD, BAD, CANCELLED, INTERRUPTED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this != RUNNING;
    }
}
