package io.stoker.server.forge;

import java.util.List;

/**
 * A verified push to a branch.
 *
 * @param repositoryUrls every URL the payload gives for the repository (https clone, ssh, web page), to be matched
 *                       against a project's git URL with {@link RepositoryUrls#sameRepository}
 * @param branch         the short branch name ({@code main}, {@code feature/x}), without {@code refs/heads/}
 * @param commit         the pushed head commit SHA; {@code null} when the branch was deleted
 * @param deleted        the push deleted the branch: nothing is to be built
 */
public record PushEvent(GitHost host, List<String> repositoryUrls, String branch, String commit, boolean deleted) {
    public PushEvent {
        repositoryUrls = List.copyOf(repositoryUrls);
    }

    /** True when the push left a commit to build (the branch was not deleted). */
    public boolean buildable() {
        return !deleted && commit != null;
    }
}
