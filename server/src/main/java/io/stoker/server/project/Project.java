package io.stoker.server.project;

import java.time.Instant;

/**
 * A project: either a git repository ({@code gitUrl} and {@code branch}) whose Jobfile is read at each commit, or a
 * "freestyle" project holding its Jobfile text.
 *
 * @param commit the commit the jobs were last compiled from (git projects), else null
 */
public record Project(long id, String name, String gitUrl, String branch, String jobfile, String jobfileName,
                      String commit, Instant createdAt, Instant updatedAt) {

    public boolean isGit() {
        return gitUrl != null;
    }
}
