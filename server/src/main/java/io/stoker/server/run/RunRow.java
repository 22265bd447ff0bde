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
 */
public record RunRow(long id, String key, long number, String project, String job, String trigger, String gitUrl, String commit,
                     String branch, Map<String, Object> parameters, Object metadata, RunState status, String reason,
                     String rerunOf, String rerunFrom, Instant createdAt, Instant startedAt, Instant finishedAt,
                     List<TaskRow> tasks, PullRequest pr, boolean forcePublish) {

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

    public boolean isFinal() {
        return status.isFinal();
    }
}
