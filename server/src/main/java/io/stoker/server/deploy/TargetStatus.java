package io.stoker.server.deploy;

import io.stoker.engine.deploy.DeployReason;

import io.stoker.engine.deploy.Deployment;

/**
 * What one deploy target of a project runs now, and how its latest attempt went.
 *
 * @param target   the target's name
 * @param declared whether the project's Jobfile declares it now (false: removed since, its history kept)
 * @param current  its newest good deployment: the version it runs now; null when none worked there yet
 * @param latest   its newest deployment when that is not {@code current}: one going, or one that failed, was
 *                 cancelled or interrupted after it; when {@code current} is an automatic rollback, the deployment
 *                 that failed or was cancelled and was rolled back; null when there is none
 */
public record TargetStatus(String target, boolean declared, Deployment current, Deployment latest) {

    /** How the latest attempt stands ({@link TargetState#NEVER_DEPLOYED} when nothing was ever deployed there). */
    public TargetState state() {
        return TargetState.of(latest != null ? latest : current);
    }

    /** Whether {@code latest} is the attempt an automatic rollback ({@code current}, newer) undid. */
    public boolean latestRolledBack() {
        return latest != null && current != null && current.reason() == DeployReason.AUTO_ROLLBACK
                && current.id() > latest.id();
    }
}
