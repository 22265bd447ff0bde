package io.stoker.server.run;

import io.stoker.engine.run.RunState;
import io.stoker.engine.run.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The watchdog of a starved server: a run marked running whose tasks have not started {@code after} later is
 * reported once in the server log (key, job, state, since when) and listed by {@link #current()} for
 * {@code /healthz}. Runs stuck this way were seen when blocked threads left the runs' own threads no carrier to run
 * on; the report names the run so an operator can take a thread dump then, not after a restart.
 */
public final class StalledRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StalledRuns.class);
    private static final Set<TaskState> NOT_STARTED = java.util.EnumSet.of(TaskState.PENDING, TaskState.QUEUED);

    /** A run reported as stalled. */
    public record Stalled(String key, String project, String job, RunState status, Instant since) {
    }

    private final RunRepository runs;
    private final Duration after;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile List<Stalled> current = List.of();

    public StalledRuns(RunRepository runs, Duration after, Clock clock) {
        this.runs = runs;
        this.after = after;
        this.clock = clock;
        // a platform thread of its own: the check must run even when every other thread is stuck
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("stalled-runs")
                .factory());
    }

    /** Checks every quarter of {@code after} (at least every 100 ms, at most every 10 s). */
    public StalledRuns start() {
        long period = Math.clamp(after.toMillis() / 4, 100, 10_000);
        timer.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("stalled-run check failed: {}", e.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The runs stalled at the last check. */
    public List<Stalled> current() {
        return current;
    }

    /** Looks at the running runs now; reports each newly stalled one once. */
    public List<Stalled> check() throws SQLException {
        Instant limit = clock.instant().minus(after);
        var found = new java.util.ArrayList<Stalled>();
        for (RunRow listed : runs.list(new RunFilter(null, null, "running", null, null, 1, 1000)).runs()) {
            if (listed.lastStartedAt() == null || listed.lastStartedAt().isAfter(limit)) continue;
            RunRow run = runs.find(listed.key()).orElse(null);
            if (run == null || run.status() != RunState.RUNNING) continue;
            if (run.tasks().stream().anyMatch(t -> t.startedAt() != null || !NOT_STARTED.contains(t.status()))) continue;
            Stalled s = new Stalled(run.key(), run.project(), run.job(), run.status(), run.lastStartedAt());
            found.add(s);
            if (reported.add(s.key())) {
                LOG.error("run {} ({}/{} #{}) is {} since {} but none of its tasks has started after {} s: the server "
                        + "may be starved of threads (take a thread dump: jcmd <pid> Thread.print)", run.key(),
                        run.project(), run.job(), run.number(), run.status(), run.lastStartedAt(), after.toSeconds());
            }
        }
        reported.retainAll(found.stream().map(Stalled::key).toList());
        current = List.copyOf(found);
        return current;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
