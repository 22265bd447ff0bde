package io.stoker.server.project;

import io.stoker.server.forge.StatusSettings;

import java.time.Instant;

/**
 * A project: either a git repository ({@code gitUrl} and {@code branch}) whose Jobfile is read at each commit, or a
 * "freestyle" project holding its Jobfile text.
 *
 * @param commit        the commit the jobs were last compiled from (git projects), else null
 * @param webhookSecret the secret push webhooks of this project are signed with, or null for the server's default;
 *                      never shown by the API
 * @param credentials   the name of the git credentials fetches use ({@link io.stoker.server.git.GitCredentialsLookup}),
 *                      or null
 * @param status           where the statuses of its commits go ({@link StatusSettings#target}); never null
 * @param allowForkSecrets runs of pull requests from forks get the project's secrets too (default: withheld)
 * @param allowForkBuilds  pull requests from forks are built (default: not, their code is from outside)
 */
public record Project(long id, String name, String gitUrl, String branch, String jobfile, String jobfileName,
                      String commit, Instant createdAt, Instant updatedAt, String webhookSecret, String credentials,
                      StatusSettings status, boolean allowForkSecrets,
                      boolean allowForkBuilds) {
    public Project {
        status = status == null ? StatusSettings.NONE : status;
    }

    @Override
    public String toString() {
        return "Project[" + name + ", " + (isGit() ? gitUrl + " " + branch : "freestyle") + "]"; // no secret in logs
    }

    public boolean isGit() {
        return gitUrl != null;
    }
}
