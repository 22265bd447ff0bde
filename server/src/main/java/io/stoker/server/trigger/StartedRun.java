package io.stoker.server.trigger;

import io.stoker.model.Job;
import io.stoker.server.run.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;

/** A run a trigger (cron, poll, upstream) queued. */
public record StartedRun(String key, long number, String project, String job, String trigger) {
    private static final Logger LOG = LoggerFactory.getLogger(StartedRun.class);

    /** Queues a run of an already compiled job: never busy, a job whose concurrency is used up waits its turn. */
    static StartedRun queue(RunService runs, String project, Job job, String gitUrl, String commit, String branch,
                            Map<String, String> parameters, Object metadata, String trigger) throws SQLException {
        RunService.Queued q = runs.start(project, job, gitUrl, commit, branch, parameters, metadata, trigger);
        LOG.info("{} started run {} of {}/{}", trigger, q.key(), project, job.name());
        return new StartedRun(q.key(), q.number(), project, job.name(), trigger);
    }
}
