package io.stoker.server.deploy;

import io.stoker.engine.deploy.Deployment;

import java.util.Locale;

/**
 * How a deploy target's latest attempt stands: never deployed, or the state of its newest deployment — good (it runs
 * what it was last given), or a deployment after the one it runs that is going, failed, was cancelled or interrupted
 * (or, when it runs an automatic rollback, the deployment that failed or was cancelled and was rolled back).
 */
public enum TargetState {
    NEVER_DEPLOYED, GOOD, RUNNING, BAD, CANCELLED, INTERRUPTED;

    /** From the target's newest deployment, or null when it has none. */
    static TargetState of(Deployment newest) {
        if (newest == null) return NEVER_DEPLOYED;
        return switch (newest.state()) {
            case GOOD -> GOOD;
            case RUNNING -> RUNNING;
            case BAD -> BAD;
            case CANCELLED -> CANCELLED;
            case INTERRUPTED -> INTERRUPTED;
        };
    }

    /** As shown to users and in JSON: {@code never-deployed}, {@code good}, {@code running} … */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
