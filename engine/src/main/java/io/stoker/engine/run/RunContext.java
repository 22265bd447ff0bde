package io.stoker.engine.run;

/**
 * Facts about a run that expressions read as {@code run.*}: {@code run.key}, {@code run.number},
 * {@code run.branch}, {@code run.commit}, {@code run.trigger}, {@code run.job}, {@code run.project}, for a
 * pull/merge request {@code run.pr} (its number) and {@code run.targetBranch} ({@code run.branch} is its source),
 * and for a run of a tag {@code run.tag} (its short name; {@code run.branch} is then null).
 *
 * @param key    unique among the runs the stores keep, e.g. {@code web-12}; used in file names and STOKER_RUN
 * @param branch  null when unknown (a local run outside git)
 * @param repoUrl the git repository's URL without credentials; null when the run has none
 * @param pr      the pull/merge request's number; null when the run builds none
 * @param targetBranch the branch the pull/merge request merges into; null when none
 * @param tag     the tag the run builds ({@code v1}), as a tag push or a trigger at a tag gave it; null when none
 */
public record RunContext(String key, long number, String branch, String commit, String trigger, String job,
                         String project, String repoUrl, Long pr, String targetBranch, String tag) {

    /** A context of no tag. */
    public RunContext(String key, long number, String branch, String commit, String trigger, String job,
                      String project, String repoUrl, Long pr, String targetBranch) {
        this(key, number, branch, commit, trigger, job, project, repoUrl, pr, targetBranch, null);
    }

    /** A context of no pull request. */
    public RunContext(String key, long number, String branch, String commit, String trigger, String job,
                      String project, String repoUrl) {
        this(key, number, branch, commit, trigger, job, project, repoUrl, null, null);
    }

    /** A context without a repository URL (local runs, stored runs). */
    public RunContext(String key, long number, String branch, String commit, String trigger, String job,
                      String project) {
        this(key, number, branch, commit, trigger, job, project, null, null, null);
    }

    /** A local run's context: no branch or commit known. */
    public static RunContext local(String key, long number, String job) {
        return new RunContext(key, number, null, null, "manual", job, null);
    }

    /** {@code run.name} as expressions see it; null when absent. */
    public Object variable(String name) {
        return switch (name) {
            case "key" -> key;
            case "number" -> java.math.BigDecimal.valueOf(number);
            case "branch" -> branch;
            case "commit" -> commit;
            case "trigger" -> trigger;
            case "job" -> job;
            case "project" -> project;
            case "pr" -> pr == null ? null : java.math.BigDecimal.valueOf(pr);
            case "targetBranch" -> targetBranch;
            case "tag" -> tag;
            default -> null;
        };
    }

    /**
     * The variables every task of the run gets, as other CI servers give them: {@code CI=true},
     * {@code STOKER_RUN_KEY}, {@code STOKER_RUN_NUMBER}, {@code STOKER_JOB}, and when known {@code STOKER_PROJECT},
     * {@code STOKER_BRANCH}, {@code STOKER_COMMIT}, {@code STOKER_REPO_URL}, {@code STOKER_PR},
     * {@code STOKER_TARGET_BRANCH}, {@code STOKER_TAG}.
     */
    public java.util.Map<String, String> environment() {
        var env = new java.util.LinkedHashMap<String, String>();
        env.put("CI", "true");
        env.put("STOKER_RUN_KEY", key);
        env.put("STOKER_RUN_NUMBER", Long.toString(number));
        if (job != null) env.put("STOKER_JOB", job);
        if (project != null) env.put("STOKER_PROJECT", project);
        if (branch != null) env.put("STOKER_BRANCH", branch);
        if (commit != null) env.put("STOKER_COMMIT", commit);
        if (repoUrl != null) env.put("STOKER_REPO_URL", repoUrl);
        if (pr != null) env.put("STOKER_PR", Long.toString(pr));
        if (targetBranch != null) env.put("STOKER_TARGET_BRANCH", targetBranch);
        if (tag != null) env.put("STOKER_TAG", tag);
        return env;
    }
}
