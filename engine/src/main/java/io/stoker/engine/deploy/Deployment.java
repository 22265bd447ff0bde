package io.stoker.engine.deploy;

import java.time.Instant;

/**
 * One deployment of a version to a target, as the history keeps it.
 *
 * @param id      the history's number for it (0 before it is stored)
 * @param by      who asked for it (a user name, or {@code stoker} for an automatic rollback)
 * @param runKey  the run that does it (logs, events)
 * @param detail  why it ended as it did, in a sentence (null while running)
 * @param endedAt null while running
 */
public record Deployment(long id, String project, String target, String version, String by, DeployReason reason,
                         String runKey, DeploymentState state, String detail, Instant startedAt, Instant endedAt) {

    public Deployment withId(long value) {
        return new Deployment(value, project, target, version, by, reason, runKey, state, detail, startedAt, endedAt);
    }

    /** This deployment as recorded when it ended in {@code to} at {@code at}, for {@code why}. */
    public Deployment endedAs(DeploymentState to, String why, Instant at) {
        return new Deployment(id, project, target, version, by, reason, runKey, to, why, startedAt, at);
    }
}
