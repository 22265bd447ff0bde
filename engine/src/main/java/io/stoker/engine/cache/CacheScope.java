package io.stoker.engine.cache;

/**
 * Whose caches a run reads and writes: a project's branch, or one pull request. A pull request's run (from a fork
 * too) writes only to its own scope, so it can never put files into the caches its target branch's runs restore.
 *
 * @param project the project, or null for a local run
 * @param branch  the branch the run builds, or null (a tag, a local run outside git)
 * @param pr      the pull request's number, or null when the run builds none
 */
public record CacheScope(String project, String branch, Long pr) {

    /** A branch's scope of the project. */
    public static CacheScope branch(String project, String branch) {
        return new CacheScope(project, branch, null);
    }

    /** The scope in words, as listings show it: {@code branch main}, {@code pull request 12}, {@code no branch}. */
    public String label() {
        if (pr != null) return "pull request " + pr;
        return branch != null ? "branch " + branch : "no branch";
    }
}
