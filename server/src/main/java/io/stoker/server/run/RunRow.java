package io.stoker.server.run;

import io.stoker.engine.run.RunState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as stored: identity, trigger, source, parameters, status and its tasks in declaration order.
 *
 * @param parameters resolved parameter values by name
 * @param rerunOf    the key of the run this one repeats, or null
 * @param rerunFrom  the task a partial rerun started from, or null
 * @param pr         the pull/merge request it builds, or null
 * @param forcePublish its {@code publish} may replace a version that exists (an administrator's trigger)
 * @param startedAt  its first start: a restart that queued it again ({@code retryOnRestart}) keeps it
 * @param cancel     who asked for its cancel and when, or null (nobody did, or the server itself)
 * @param restartedAt when it started again after a restart queued it again, or null
 * @param tag        the tag it builds ({@code branch} is then null), or null
 * @param selectedTasks the task names its trigger asked for (it ran them and what they need, the others skipped),
 *                   empty when it runs the whole job
 * @param rerunFailed a rerun of the earlier run's failed, timed-out and cancelled tasks and those after them
 * @param startedBy  the user who started it through the API (a trigger, a rerun, a deployment), or null: a git
 *                   host's push names its user in {@code metadata} instead (see {@link #starter()})
 */
public record RunRow(long id, String key, long number, String project, String job, String trigger, String gitUrl, String commit,
                     String branch, Map<String, Object> parameters, Object metadata, RunState status, String reason,
                     String rerunOf, String rerunFrom, Instant createdAt, Instant startedAt, Instant finishedAt,
                     List<TaskRow> tasks, PullRequest pr, boolean forcePublish, CancelAsked cancel,
                     Instant restartedAt, String tag, List<String> selectedTasks, boolean rerunFailed,
                     String startedBy) {

    public RunRow {
        selectedTasks = selectedTasks == null ? List.of() : List.copyOf(selectedTasks);
    }

    /** A run no person started through the API. */
    public RunRow(long id, String key, long number, String project, String job, String trigger, String gitUrl,
                  String commit, String branch, Map<String, Object> parameters, Object metadata, RunState status,
                  String reason, String rerunOf, String rerunFrom, Instant createdAt, Instant startedAt,
                  Instant finishedAt, List<TaskRow> tasks, PullRequest pr, boolean forcePublish, CancelAsked cancel,
                  Instant restartedAt, String tag, List<String> selectedTasks, boolean rerunFailed) {
        this(id, key, number, project, job, trigger, gitUrl, commit, branch, parameters, metadata, status, reason,
                rerunOf, rerunFrom, createdAt, startedAt, finishedAt, tasks, pr, forcePublish, cancel, restartedAt, tag,
                selectedTasks, rerunFailed, null);
    }

    /**
     * Who started it: the API's caller, or for a push or pull request the user the git host named (its metadata's
     * {@code by}); null for a run a trigger started (cron, poll, upstream, startup) or a host that named nobody.
     */
    public String starter() {
        if (startedBy != null) return startedBy;
        if (metadata instanceof Map<?, ?> m) {
            Object event = m.get("pullRequest") != null ? m.get("pullRequest") : m.get("push");
            if (("push".equals(trigger) || "pull-request".equals(trigger)) && event instanceof Map<?, ?> e && e.get("by") instanceof String by) {
                return by;
            }
        }
        return null;
    }

    /** A run that is no rerun of failed tasks. */
    public RunRow(long id, String key, long number, String project, String job, String trigger, String gitUrl,
                  String commit, String branch, Map<String, Object> parameters, Object metadata, RunState status,
                  String reason, String rerunOf, String rerunFrom, Instant createdAt, Instant startedAt,
                  Instant finishedAt, List<TaskRow> tasks, PullRequest pr, boolean forcePublish, CancelAsked cancel,
                  Instant restartedAt, String tag, List<String> selectedTasks) {
        this(id, key, number, project, job, trigger, gitUrl, commit, branch, parameters, metadata, status, reason,
                rerunOf, rerunFrom, createdAt, startedAt, finishedAt, tasks, pr, forcePublish, cancel, restartedAt, tag,
                selectedTasks, false);
    }

    /** A run of the whole job. */
    public RunRow(long id, String key, long number, String project, String job, String trigger, String gitUrl,
                  String commit, String branch, Map<String, Object> parameters, Object metadata, RunState status,
                  String reason, String rerunOf, String rerunFrom, Instant createdAt, Instant startedAt,
                  Instant finishedAt, List<TaskRow> tasks, PullRequest pr, boolean forcePublish, CancelAsked cancel,
                  Instant restartedAt, String tag) {
        this(id, key, number, project, job, trigger, gitUrl, commit, branch, parameters, metadata, status, reason,
                rerunOf, rerunFrom, createdAt, startedAt, finishedAt, tasks, pr, forcePublish, cancel, restartedAt, tag,
                List.of());
    }

    /** A run of no tag. */
    public RunRow(long id, String key, long number, String project, String job, String trigger, String gitUrl,
                  String commit, String branch, Map<String, Object> parameters, Object metadata, RunState status,
                  String reason, String rerunOf, String rerunFrom, Instant createdAt, Instant startedAt,
                  Instant finishedAt, List<TaskRow> tasks, PullRequest pr, boolean forcePublish, CancelAsked cancel,
                  Instant restartedAt) {
        this(id, key, number, project, job, trigger, gitUrl, commit, branch, parameters, metadata, status, reason,
                rerunOf, rerunFrom, createdAt, startedAt, finishedAt, tasks, pr, forcePublish, cancel, restartedAt, null);
    }

    /** A run with no cancel asked by a user and no restart. */
    public RunRow(long id, String key, long number, String project, String job, String trigger, String gitUrl,
                  String commit, String branch, Map<String, Object> parameters, Object metadata, RunState status,
                  String reason, String rerunOf, String rerunFrom, Instant createdAt, Instant startedAt,
                  Instant finishedAt, List<TaskRow> tasks, PullRequest pr, boolean forcePublish) {
        this(id, key, number, project, job, trigger, gitUrl, commit, branch, parameters, metadata, status, reason,
                rerunOf, rerunFrom, createdAt, startedAt, finishedAt, tasks, pr, forcePublish, null, null);
    }

    /** A run that refuses to replace a version. */
    public RunRow(long id, String key, long number, String project, String job, String trigger, String gitUrl,
                  String commit, String branch, Map<String, Object> parameters, Object metadata, RunState status,
                  String reason, String rerunOf, String rerunFrom, Instant createdAt, Instant startedAt,
                  Instant finishedAt, List<TaskRow> tasks, PullRequest pr) {
        this(id, key, number, project, job, trigger, gitUrl, commit, branch, parameters, metadata, status, reason,
                rerunOf, rerunFrom, createdAt, startedAt, finishedAt, tasks, pr, false);
    }

    /** A run of no pull request. */
    public RunRow(long id, String key, long number, String project, String job, String trigger, String gitUrl,
                  String commit, String branch, Map<String, Object> parameters, Object metadata, RunState status,
                  String reason, String rerunOf, String rerunFrom, Instant createdAt, Instant startedAt,
                  Instant finishedAt, List<TaskRow> tasks) {
        this(id, key, number, project, job, trigger, gitUrl, commit, branch, parameters, metadata, status, reason,
                rerunOf, rerunFrom, createdAt, startedAt, finishedAt, tasks, null);
    }

    /** When it last started: after a restart that queued it again, that start, not its first. */
    public Instant lastStartedAt() {
        return restartedAt != null ? restartedAt : startedAt;
    }

    public boolean isFinal() {
        return status.isFinal();
    }
}
