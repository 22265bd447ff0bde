package io.stoker.server.run;

import io.stoker.model.Job;

import java.util.List;
import java.util.Map;

/**
 * A run about to be queued; {@code pr} is null unless it builds a pull/merge request; {@code forcePublish}: its
 * {@code publish} may replace a version that exists (an administrator's trigger asked for it); {@code firing} names
 * the trigger firing that queues it ({@code cron:project/job@time}, …), unique across the servers sharing a database,
 * or null; {@code tag} names the tag it builds, or null; {@code selectedTasks} are the task names its trigger asked
 * for (it runs them and what they need, see {@link io.stoker.engine.run.TaskSelection}), empty for the whole job;
 * {@code rerunFailed}: it reruns the failed, timed-out and cancelled tasks of run {@code rerunOf} and those after them;
 * {@code startedBy} is the user who asked for it through the API, or null.
 */
public record NewRun(String key, String project, Job job, String trigger, String gitUrl, String commit, String branch,
                     Map<String, Object> parameters, Object metadata, String rerunOf, String rerunFrom, PullRequest pr,
                     boolean forcePublish, String firing, String tag, List<String> selectedTasks,
                     boolean rerunFailed, String startedBy) {

    public NewRun {
        selectedTasks = selectedTasks == null ? List.of() : List.copyOf(selectedTasks);
    }

    /** A run no person asked for through the API. */
    public NewRun(String key, String project, Job job, String trigger, String gitUrl, String commit, String branch,
                  Map<String, Object> parameters, Object metadata, String rerunOf, String rerunFrom, PullRequest pr,
                  boolean forcePublish, String firing, String tag, List<String> selectedTasks,
                  boolean rerunFailed) {
        this(key, project, job, trigger, gitUrl, commit, branch, parameters, metadata, rerunOf, rerunFrom, pr,
                forcePublish, firing, tag, selectedTasks, rerunFailed, null);
    }

    /** This run, asked for by {@code user} (null: by no person). */
    public NewRun startedBy(String user) {
        return new NewRun(key, project, job, trigger, gitUrl, commit, branch, parameters, metadata, rerunOf, rerunFrom,
                pr, forcePublish, firing, tag, selectedTasks, rerunFailed, user);
    }

    /** A run that is no rerun of failed tasks. */
    public NewRun(String key, String project, Job job, String trigger, String gitUrl, String commit, String branch,
                  Map<String, Object> parameters, Object metadata, String rerunOf, String rerunFrom, PullRequest pr,
                  boolean forcePublish, String firing, String tag, List<String> selectedTasks) {
        this(key, project, job, trigger, gitUrl, commit, branch, parameters, metadata, rerunOf, rerunFrom, pr,
                forcePublish, firing, tag, selectedTasks, false);
    }

    /** A run of the whole job. */
    public NewRun(String key, String project, Job job, String trigger, String gitUrl, String commit, String branch,
                  Map<String, Object> parameters, Object metadata, String rerunOf, String rerunFrom, PullRequest pr,
                  boolean forcePublish, String firing, String tag) {
        this(key, project, job, trigger, gitUrl, commit, branch, parameters, metadata, rerunOf, rerunFrom, pr,
                forcePublish, firing, tag, List.of());
    }

    /** A run of no tag. */
    public NewRun(String key, String project, Job job, String trigger, String gitUrl, String commit, String branch,
                  Map<String, Object> parameters, Object metadata, String rerunOf, String rerunFrom, PullRequest pr,
                  boolean forcePublish, String firing) {
        this(key, project, job, trigger, gitUrl, commit, branch, parameters, metadata, rerunOf, rerunFrom, pr,
                forcePublish, firing, null);
    }

    /** A run no trigger firing queues and that refuses to replace a version. */
    public NewRun(String key, String project, Job job, String trigger, String gitUrl, String commit, String branch,
                  Map<String, Object> parameters, Object metadata, String rerunOf, String rerunFrom, PullRequest pr) {
        this(key, project, job, trigger, gitUrl, commit, branch, parameters, metadata, rerunOf, rerunFrom, pr, false, null);
    }

    /** A run of no pull request. */
    public NewRun(String key, String project, Job job, String trigger, String gitUrl, String commit, String branch,
                  Map<String, Object> parameters, Object metadata, String rerunOf, String rerunFrom) {
        this(key, project, job, trigger, gitUrl, commit, branch, parameters, metadata, rerunOf, rerunFrom, null);
    }
}
