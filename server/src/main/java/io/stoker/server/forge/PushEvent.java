package io.stoker.server.forge;

import java.util.List;

/**
 * A verified push of one ref, as the host's payload describes it.
 *
 * @param repositoryUrls every URL the payload gives for the repository (https clone, ssh, web page), to be matched
 *                       against a project's git URL with {@link RepositoryUrls#sameRepository}
 * @param ref            the full ref ({@code refs/heads/main}, {@code refs/tags/v1})
 * @param branch         the short branch name ({@code main}, {@code feature/x}); null for a tag or other ref
 * @param before         the ref's commit before the push; null when unknown or the ref is new
 * @param commit         the pushed head commit SHA; {@code null} when the ref was deleted
 * @param deleted        the push deleted the ref: nothing is to be built
 * @param headMessage    the head commit's message as the payload gives it (for skip markers); null when absent
 * @param changedFiles   the paths the pushed commits touched; null when the payload does not list them all (then
 *                       the server's mirror computes {@code before..commit})
 * @param pullRequest    for a pull/merge request opened or updated: its number, target branch and whether it comes
 *                       from a fork ({@code ref} is then the host's head ref of it, {@code branch} its source
 *                       branch, {@code commit} its head); null for a push
 * @param by             who pushed, or opened or updated the request: the host's user name as its payload gives it
 *                       (GitHub's sender login, GitLab's user_username …); null when it gives none
 */
public record PushEvent(GitHost host, List<String> repositoryUrls, String ref, String branch, String before,
                        String commit, boolean deleted, String headMessage, List<String> changedFiles,
                        PullRequestHead pullRequest, String by) {
    public PushEvent {
        repositoryUrls = List.copyOf(repositoryUrls);
        changedFiles = changedFiles == null ? null : List.copyOf(changedFiles);
    }

    /** A push or a request's head, not yet said by whom. */
    public PushEvent(GitHost host, List<String> repositoryUrls, String ref, String branch, String before,
                     String commit, boolean deleted, String headMessage, List<String> changedFiles,
                     PullRequestHead pullRequest) {
        this(host, repositoryUrls, ref, branch, before, commit, deleted, headMessage, changedFiles, pullRequest, null);
    }

    /** This event, pushed by {@code who} (null or blank: not known). */
    public PushEvent by(String who) {
        String by = who == null || who.isBlank() ? null : who.strip();
        return new PushEvent(host, repositoryUrls, ref, branch, before, commit, deleted, headMessage, changedFiles,
                pullRequest, by);
    }

    /** A push of a ref. */
    public PushEvent(GitHost host, List<String> repositoryUrls, String ref, String branch, String before,
                     String commit, boolean deleted, String headMessage, List<String> changedFiles) {
        this(host, repositoryUrls, ref, branch, before, commit, deleted, headMessage, changedFiles, null);
    }

    /**
     * A pull/merge request's head.
     *
     * @param fork the source branch is in another repository than the target (its secrets are withheld unless the
     *             project allows them)
     */
    public record PullRequestHead(long number, String targetBranch, boolean fork) {
    }

    /** A branch push with no more detail than its head (tests, simple hosts). */
    public PushEvent(GitHost host, List<String> repositoryUrls, String branch, String commit, boolean deleted) {
        this(host, repositoryUrls, "refs/heads/" + branch, branch, null, commit, deleted, null, null);
    }

    /** True when the push left a branch commit to build (not a tag, not a deletion). */
    public boolean buildable() {
        return branch != null && !deleted && commit != null;
    }

    /** True for a push of a tag. */
    public boolean tag() {
        return ref.startsWith(Payloads.TAGS);
    }

    /** The pushed tag's short name ({@code v1}); null when the push is not of a tag. */
    public String tagName() {
        return tag() ? ref.substring(Payloads.TAGS.length()) : null;
    }
}
