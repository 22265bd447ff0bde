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

    /**
     * Queues a run like {@link #queue} unless another server (or an earlier handling) queued one for the same
     * {@code firing} already: empty then.
     */
    static java.util.Optional<StartedRun> queueOnce(String firing, RunService runs, String project, Job job,
                                                    String gitUrl, String commit, String branch,
                                                    Map<String, String> parameters, Object metadata, String trigger)
            throws SQLException {
        var queued = runs.startFired(bounded(firing), project, job, gitUrl, commit, branch, parameters, metadata, trigger);
        if (queued.isEmpty()) {
            LOG.info("{} {}: another server queued its run", trigger, firing);
            return java.util.Optional.empty();
        }
        RunService.Queued q = queued.get();
        LOG.info("{} started run {} of {}/{}", trigger, q.key(), project, job.name());
        return java.util.Optional.of(new StartedRun(q.key(), q.number(), project, job.name(), trigger));
    }

    /** The firing as stored (at most 600 characters): a longer one keeps its start and a digest of the whole. */
    static String bounded(String firing) {
        if (firing.length() <= 600) return firing;
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(firing.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return firing.substring(0, 500) + "#" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
