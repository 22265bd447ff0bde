package io.stoker.server.retention;

import io.stoker.engine.files.FileTrees;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Discards old runs by a {@link RetentionPolicy}: when a run of a job ends, that job's runs are weighed; with an age
 * limit, every job's once an hour too (runs age without new ones). A discarded run's row, tasks and log streams
 * leave the database and its directory (logs, artifacts) the disk; its key answers 404 from then on. Work runs on
 * a thread of its own, one job at a time.
 */
public final class RunRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunRetention.class);

    private final RetentionRepository runs;
    private final RetentionPolicy policy;
    private final Path runsRoot;
    private final Clock clock;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("stoker-retention").factory());

    public RunRetention(RetentionRepository runs, RetentionPolicy policy, Path runsRoot, Clock clock) {
        this.runs = runs;
        this.policy = policy;
        this.runsRoot = runsRoot;
        this.clock = clock;
    }

    /** Starts the hourly round when runs age out; logs the policy. */
    public RunRetention start() {
        if (!policy.active()) return this;
        LOG.info("run retention: {}", policy.describe());
        if (policy.keepFor() != null) worker.scheduleWithFixedDelay(this::sweepAll, 1, 60, TimeUnit.MINUTES);
        return this;
    }

    /** The hub subscriber: a run's end weighs its job's runs. */
    public void onEvent(LifecycleEvent event) {
        if (!policy.active() || !(event instanceof RunFinished f)) return;
        try {
            worker.execute(() -> sweep(f.project(), f.job()));
        } catch (RejectedExecutionException closing) {
            // the server stops: the next run's end, or the next start's round, weighs them
        }
    }

    private void sweepAll() {
        try {
            for (RetentionRepository.JobName j : runs.jobs()) sweep(j.project(), j.job());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("run retention: cannot list the jobs: {}", e.toString());
        }
    }

    /**
     * Discards finished runs now: each one's row, tasks and log streams, then its directory (logs, artifacts); a
     * run not finished, or gone already, is left alone. Returns how many were discarded.
     */
    public int discard(List<String> keys) throws java.sql.SQLException {
        int discarded = 0;
        for (String key : keys) {
            if (runs.delete(key)) {
                FileTrees.deleteQuietly(runsRoot.resolve(key));
                discarded++;
            }
        }
        return discarded;
    }

    /** Discards what the policy says of one job's runs now. */
    void sweep(String project, String job) {
        try {
            List<String> gone = policy.discard(runs.finished(project, job), runs.newestNumber(project, job),
                    clock.instant());
            discard(gone);
            if (!gone.isEmpty()) LOG.info("run retention: {} of {}/{} discarded", io.stoker.model.Plural.of(gone.size(), "run"), project, job);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("run retention: cannot weigh the runs of {}/{}: {}", project, job, e.toString());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
