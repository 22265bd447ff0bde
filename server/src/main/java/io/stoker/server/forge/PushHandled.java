package io.stoker.server.forge;

import java.sql.SQLException;

/**
 * Told of each job a push to a branch started, or held back by its path filter, at the pushed commit: a job that
 * also polls counts that commit as seen, so the next poll does not build it again.
 */
@FunctionalInterface
public interface PushHandled {
    PushHandled NONE = (project, job, branch, commit) -> { };

    void handled(String project, String job, String branch, String commit) throws SQLException;
}
