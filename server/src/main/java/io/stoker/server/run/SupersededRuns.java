package io.stoker.server.run;

import io.stoker.model.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;

/**
 * A job with {@code cancelSuperseded true} builds only the newest commit of a branch or pull request: a push's (or
 * a pull request's) new run cancels the job's older runs of the same branch (or pull request) that are still queued
 * or going, as GitLab cancels redundant pipelines and Woodpecker cancels previous ones. Runs started otherwise (by
 * hand, cron, poll, a tag) are left alone. The cancelled run's page names the run that superseded it.
 */
final class SupersededRuns {
    private static final Logger LOG = LoggerFactory.getLogger(SupersededRuns.class);

    private final RunRepository runs;
    private final RunDispatcher dispatcher;

    SupersededRuns(RunRepository runs, RunDispatcher dispatcher) {
        this.runs = runs;
        this.dispatcher = dispatcher;
    }

    /** Cancels what {@code newer}, a run of {@code job} for {@code branch} or pull request {@code pr}, supersedes. */
    List<String> cancelOlder(String project, Job job, String branch, PullRequest pr, RunService.Queued newer)
            throws SQLException {
        if (!job.triggers().cancelSuperseded()) return List.of();
        List<String> older = runs.supersededBy(project, job.name(), branch, pr == null ? null : pr.number(),
                newer.number());
        String by = "run #" + newer.number() + " (" + (pr == null ? "a newer push to " + branch
                : "a newer commit of pull request #" + pr.number()) + ")";
        for (String key : older) {
            LOG.info("run {} of {}/{} is superseded by {}: cancelling it", key, project, job.name(), newer.key());
            dispatcher.cancel(key, by).whenComplete((c, e) -> {
                if (e != null) LOG.warn("run {}: its cancel as superseded failed: {}", key, e.toString());
            });
        }
        return older;
    }
}
