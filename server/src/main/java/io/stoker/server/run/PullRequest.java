package io.stoker.server.run;

/**
 * The pull/merge request a run builds (at its head commit; the run's branch is the request's source branch).
 *
 * @param number          the request's number on its host ({@code run.pr})
 * @param targetBranch    the branch it asks to merge into ({@code run.targetBranch})
 * @param secretsWithheld it comes from a fork and its project does not allow forks' runs secrets: the run gets none
 */
public record PullRequest(long number, String targetBranch, boolean secretsWithheld) {
}
