package io.stoker.server.run;

import io.stoker.engine.files.FileTrees;
import io.stoker.engine.log.LogSink;
import io.stoker.engine.log.LogStream;
import io.stoker.engine.log.TaskLog;
import io.stoker.model.Job;
import io.stoker.server.event.EventHub;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.TaskChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What start-up does about runs a crash or stop left {@code running}: they fail with the reason "server restarted"
 * (or are queued again when their job says {@code retryOnRestart}, up to {@link RunRepository#MAX_RESTARTS} times;
 * or end cancelled when a cancel had been asked for and not yet carried out), and the log of every task that was running gets a
 * last line saying so, instead of just stopping. A run that only waited at approval gates (no task of it running)
 * resumes instead: the same run is queued to go on, its ended tasks kept and its gates asking again until their
 * deadlines, and each gate's log says so. Finished runs are never touched. In a cluster the same happens,
 * with the reason "server ID lost", to the runs whose holder's lease ran out ({@link #takeOverLost}).
 */
public final class RunRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecovery.class);

    private RunRecovery() {
    }

    /**
     * Recovers and returns the runs marked failed (not those queued again). They end at {@code lastAlive}, the last
     * sign of life of the server that crashed ({@link AliveMark}; never before a run's or task's start), or now when
     * there is none; a clean stop's runs keep the moment it stopped. Their workspaces under {@code workspaces} go.
     */
    public static List<RunRepository.Interrupted> recover(RunRepository runs, LogSink logs, Clock clock,
                                                          java.util.Optional<java.time.Instant> lastAlive,
                                                          Path workspaces) throws SQLException {
        return recover(runs, LeftBehind.NOTHING, logs, clock, lastAlive, workspaces);
    }

    /**
     * As above, having {@code leftBehind} stop what the runs' attempts left running on agents first (the killed
     * process could not): a run queued again starts only once they are gone, and one whose processes could not be
     * stopped fails instead, its reason saying so.
     */
    public static List<RunRepository.Interrupted> recover(RunRepository runs, LeftBehind leftBehind, LogSink logs,
                                                          Clock clock, java.util.Optional<java.time.Instant> lastAlive,
                                                          Path workspaces) throws SQLException {
        java.time.Instant ended = lastAlive.orElseGet(clock::instant);
        List<RunRepository.Interrupted> interrupted = runs.recover(ended, retryOnRestart(runs), leftBehind,
                run -> closeLogs(run, logs, clock));
        // an interrupted run's workspace holds what its killed processes half wrote: a failed run's is never used
        // again, and a run queued again (retryOnRestart) starts afresh, as a new run does
        // and a resumed one is prepared again as it starts, its ended tasks' artifacts unpacked over a fresh checkout
        for (RunRepository.Interrupted run : interrupted) {
            boolean goesOn = run.requeued() || run.resumed();
            if (!goesOn || preparedAgain(runs, run.key())) FileTrees.deleteQuietly(workspaces.resolve(run.key()));
        }
        List<RunRepository.Interrupted> resumed = interrupted.stream().filter(RunRepository.Interrupted::resumed).toList();
        if (!resumed.isEmpty()) {
            LOG.info("{} waited at approval gates when the server stopped; {}: {}",
                    io.stoker.model.Plural.of(resumed.size(), "run"), resumed.size() == 1 ? "it resumes" : "they resume",
                    resumed.stream().map(RunRepository.Interrupted::key).toList());
        }
        List<RunRepository.Interrupted> failed = interrupted.stream().filter(r -> !r.requeued() && !r.resumed())
                .toList();
        if (!failed.isEmpty()) {
            LOG.warn("{} running when the server stopped; marked failed or cancelled: {}",
                    io.stoker.model.Plural.of(failed.size(), "run") + (failed.size() == 1 ? " was" : " were"),
                    failed.stream().map(r -> r.key() + " (" + r.end().label() + ")").toList());
        }
        return failed;
    }

    /**
     * Tells the event hub that the runs {@link #recover} marked failed have finished, once its subscribers (status
     * webhooks, commit statuses, notifications, upstream triggers) are in place: without it a run a restart ended
     * kept its last sent state, a commit status {@code pending} for good.
     */
    public static void announce(List<RunRepository.Interrupted> failed, RunRepository runs, EventHub events,
                                Clock clock) {
        for (RunRepository.Interrupted run : failed) {
            try {
                runs.find(run.key()).filter(RunRow::isFinal).ifPresent(row ->
                        endEvents(row, run.runningTasks(), clock.instant()).forEach(events::publish));
            } catch (SQLException | RuntimeException e) {
                LOG.warn("run {}: its end after the restart cannot be announced: {}", run.key(), e.toString());
            }
        }
    }

    /**
     * What tells watchers the end a restart or a takeover gave {@code row} (stored final): the end of each task that
     * was running (failed or cancelled now) and of each that never started (cancelled with the run), then the run's
     * end, each dated as stored ({@code now} when a time is missing). The tasks that had ended before told their
     * own end when they did.
     */
    public static List<LifecycleEvent> endEvents(RunRow row, List<String> runningTasks, Instant now) {
        List<LifecycleEvent> out = new ArrayList<>();
        Instant end = row.finishedAt() != null ? row.finishedAt() : now;
        for (TaskRow task : row.tasks()) {
            boolean wasRunning = runningTasks.contains(task.name());
            if (!task.status().isFinal() || !(wasRunning || task.startedAt() == null)) continue;
            out.add(new TaskChanged(row.key(), row.project(), row.job(), task.name(), task.status(), task.attempts(),
                    task.exitCode(), task.finishedAt() != null ? task.finishedAt() : end, task.allowedFailure(), null));
        }
        out.add(new RunFinished(row.key(), row.project(), row.job(), row.status(), end));
        return out;
    }

    /**
     * Takes over the runs of servers whose lease ran out (a cluster member's heartbeat calls it); returns them. Those
     * marked failed end at their server's last heartbeat, not now: the time it was down is not part of their run.
     */
    public static List<RunRepository.Interrupted> takeOverLost(RunRepository runs, LogSink logs, Clock clock)
            throws SQLException {
        return takeOverLost(runs, LeftBehind.NOTHING, logs, clock);
    }

    /**
     * As above, having {@code leftBehind} stop what the lost servers' runs left running on agents first: a run
     * queued again starts only once its killed attempt's processes are gone (or fails, saying why, if they are not).
     */
    public static List<RunRepository.Interrupted> takeOverLost(RunRepository runs, LeftBehind leftBehind, LogSink logs,
                                                               Clock clock) throws SQLException {
        // the closing lines are written before the run's end is committed: a peer sending its log stream sees the
        // run ended only once they are there
        List<RunRepository.Interrupted> lost = runs.takeOverLost(clock.instant(), retryOnRestart(runs), leftBehind,
                run -> closeLogs(run, logs, clock));
        for (RunRepository.Interrupted run : lost) {
            LOG.warn("run {}: {}; {}", run.key(), run.reason(), run.resumed() ? "it resumes at its approval gates"
                    : run.requeued() ? "queued again (retryOnRestart)" : "marked " + run.end().label());
        }
        return lost;
    }

    /**
     * Whether a run queued again gets its files anew at its start: a git checkout or an empty workspace do; the files
     * a Build-Shuttle build or a deployment had moved into its workspace cannot be, so that one is kept as it is.
     */
    private static boolean preparedAgain(RunRepository runs, String key) {
        try {
            return runs.find(key).map(r -> !io.stoker.server.shuttle.ShuttleService.TRIGGER.equals(r.trigger())
                    && !io.stoker.engine.deploy.DeployJobs.TRIGGER.equals(r.trigger())).orElse(true);
        } catch (SQLException e) {
            return false;
        }
    }

    private static Predicate<String> retryOnRestart(RunRepository runs) {
        return key -> {
            try {
                return runs.model(key).map(Job::retryOnRestart).orElse(false);
            } catch (SQLException e) {
                return false;
            }
        };
    }

    /** The log of every task that was running gets a last line saying why it stops there. */
    private static void closeLogs(RunRepository.Interrupted run, LogSink logs, Clock clock) {
        String line = run.resumed()
                ? run.reason() + " while this task waited at its approval gate: the run resumes and the gate waits again, until its "
                + "deadline" : switch (run.end()) {
            case QUEUED -> run.reason() + ": this attempt was interrupted; the run is queued again (retryOnRestart)";
            case CANCELLED -> run.reason() + ": the run was interrupted here and is marked cancelled, as asked";
            default -> run.reason() + ": the run was interrupted here and is marked failed";
        };
        for (String task : run.runningTasks()) {
            try (TaskLog log = logs.open(run.key(), task)) {
                log.line(LogStream.SYSTEM, clock.millis(), line);
            } catch (IOException | RuntimeException e) {
                LOG.warn("run {} task {}: cannot write its closing log line: {}", run.key(), task, e.toString());
            }
        }
    }
}
