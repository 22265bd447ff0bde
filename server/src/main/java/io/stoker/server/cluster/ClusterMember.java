package io.stoker.server.cluster;

import io.stoker.engine.log.LogSink;
import io.stoker.engine.run.RunState;
import io.stoker.server.event.EventHub;
import io.stoker.server.event.RunQueued;
import io.stoker.server.run.RunRecovery;
import io.stoker.server.run.RunRepository;
import io.stoker.server.run.RunRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This server as one of several on a shared PostgreSQL database. Every {@link ClusterSettings#heartbeat()} it
 * renews its row in {@code servers} and the leases of the runs it holds, and tells the dispatcher (which stops a run
 * the store no longer says this server holds, and looks at the queue, so runs queued through another server start
 * here when this one has a free slot). On a thread of its own, at the same pace, it takes over the runs of servers
 * whose lease ran out (failed with "server ID lost", or queued again with {@code retryOnRestart}; each by one server
 * only): a slow takeover never delays this server's own renewal. A server of this machine whose process is gone
 * (see {@link HostProcess}: killed, crashed, or this server's own predecessor before a restart) is lost at once,
 * without waiting for its lease.
 */
public final class ClusterMember implements ClusterView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);
    /** A server silent this long is dropped from {@code servers} (and {@code GET /cluster}). */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final String id;
    private final String version;
    private final ServerRegistry registry;
    private final RunRepository runs;
    private final LogSink logs;
    private final EventHub events;
    /**
     * Asked after each renewal and takeover: the dispatcher gives up the runs another server took over, looks at the
     * queue, and answers which runs it is giving up.
     */
    private final Supplier<CompletableFuture<Set<String>>> afterBeat;
    /** Holds back this server's task output while its leases are not known to hold. */
    private final LeaseFence fence;
    private final ClusterSettings settings;
    private final Clock clock;
    // a platform thread of its own: the heartbeat must go on when the run threads are busy
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("stoker-heartbeat").factory());
    private final ScheduledExecutorService takeovers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("stoker-takeover").factory());
    private final Supplier<ConnectedAgents> pullAgents;
    private final HostProcess process = HostProcess.current().orElse(null);
    private volatile String address = "";
    private volatile Consumer<RunRepository.Interrupted> failedLost = run -> { };
    private volatile LostWork lostWork = alive -> { };
    private volatile Consumer<String> neighbourGone = gone -> { };
    private volatile io.stoker.server.run.LeftBehind leftBehind = io.stoker.server.run.LeftBehind.NOTHING;

    /** What else a lost server left that a live one takes over (log streams it was sending). */
    @FunctionalInterface
    public interface LostWork {
        /** Takes over what servers not among {@code alive} (ids of servers heard within the lease) left. */
        void takeOver(java.util.Set<String> alive) throws SQLException;
    }

    /** @param pullAgents the pull agents connected here now (told to the other servers with each heartbeat) */
    public ClusterMember(String id, String version, ServerRegistry registry, RunRepository runs, LogSink logs,
                         EventHub events, Supplier<CompletableFuture<Set<String>>> afterBeat, LeaseFence fence,
                         ClusterSettings settings, Clock clock, Supplier<ConnectedAgents> pullAgents) {
        this.fence = fence;
        this.pullAgents = pullAgents;
        this.id = id;
        this.version = version;
        this.registry = registry;
        this.runs = runs;
        this.logs = logs;
        this.events = events;
        this.afterBeat = afterBeat;
        this.settings = settings;
        this.clock = clock;
    }

    public String id() {
        return id;
    }

    /**
     * Joins: writes this server's row, takes over what lost servers left, and heartbeats from now on.
     * {@code failedLost} hears of each lost run marked failed before its {@code run.finished} event goes out;
     * {@code lostWork} is asked to take over the rest of what lost servers left, at each round;
     * {@code neighbourGone} hears the id of each server of this machine found with its process gone, once its runs'
     * leases have ended (to stop what its tasks left running there); {@code leftBehind} stops what lost servers' runs
     * left running on agents before those runs are ended or queued again.
     */
    public ClusterMember start(Supplier<String> listeningUrl, Consumer<RunRepository.Interrupted> failedLost,
                               LostWork lostWork, Consumer<String> neighbourGone,
                               io.stoker.server.run.LeftBehind leftBehind) throws SQLException {
        this.leftBehind = leftBehind;
        this.failedLost = failedLost;
        this.lostWork = lostWork;
        this.neighbourGone = neighbourGone;
        address = settings.address().isEmpty() ? listeningUrl.get() : settings.address();
        registry.register(id, version, address, process, clock.instant());
        LOG.info("cluster: server {} joined ({}; lease {} s)", id, address, settings.lease().toMillis() / 1000.0);
        long period = settings.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(this::beat, 0, period, TimeUnit.MILLISECONDS);
        takeovers.scheduleWithFixedDelay(this::takeOver, 0, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One heartbeat; a failure (the database away for a moment) is logged and the next beat tries again. The fence
     * opens for a lease from the renewal's start once the dispatcher has given up what is not this server's now.
     */
    void beat() {
        try {
            long began = System.nanoTime();
            Instant now = clock.instant();
            ConnectedAgents agents = pullAgents.get();
            if (!registry.heartbeat(id, now, agents)) {
                registry.register(id, version, address, process, now);
                registry.heartbeat(id, now, agents);
            }
            runs.renewLeases(id, settings.lease());
            afterBeat.get().thenAccept(gaveUp -> {
                gaveUp.forEach(fence::discard);
                fence.renewed(began);
            });
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cluster heartbeat of {} failed: {}", id, e.toString());
        }
    }

    /** Takes over what lost servers left; a failure is logged and the next round tries again. */
    void takeOver() {
        try {
            List<String> dead = loseDeadNeighbours();
            // the lost servers' log streams first: their runs' combined logs are then tapped here, and get the
            // closing lines the takeover writes
            // a neighbour found dead is not alive, though its last heartbeat is recent
            Set<String> alive = new java.util.HashSet<>(registry.heardSince(clock.instant().minus(settings.lease())));
            dead.forEach(alive::remove);
            lostWork.takeOver(alive);
            for (RunRepository.Interrupted lost : RunRecovery.takeOverLost(runs, leftBehind, logs, clock)) announce(lost);
            // only now: the takeover dated their runs by the last heartbeat their rows held
            for (String other : dead) registry.remove(other);
            registry.forgetSilent(clock.instant().minus(FORGET_AFTER));
            afterBeat.get().thenAccept(gaveUp -> gaveUp.forEach(fence::discard));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cluster takeover round of {} failed: {}", id, e.toString());
        }
    }

    /**
     * Servers of this machine (and PID namespace) whose process is gone: their leases end now, so this round takes
     * over their runs; returns their ids, whose rows go once it has. A process another machine runs, or one merely
     * paused, is left to its lease.
     */
    private List<String> loseDeadNeighbours() throws SQLException {
        if (process == null) return List.of();
        List<String> dead = new ArrayList<>();
        for (var entry : registry.processes().entrySet()) {
            String other = entry.getKey();
            if (other.equals(id) || !entry.getValue().goneAsSeenFrom(process)) continue;
            int held = runs.expireLeases(other);
            dead.add(other);
            LOG.info("cluster: server {} ran on this machine and its process is gone; taking over its {} now",
                    other, io.stoker.model.Plural.of(held, "run"));
            try {
                neighbourGone.accept(other);
            } catch (RuntimeException e) {
                LOG.warn("cluster: what server {} left on this machine cannot be cleared: {}", other, e.toString());
            }
        }
        return dead;
    }

    private void announce(RunRepository.Interrupted lost) throws SQLException {
        RunRow row = runs.find(lost.key()).orElse(null);
        // resumed at its gates: nothing ended; a dispatcher (this one's at the end of the round) starts it again
        if (row == null || lost.resumed()) return;
        if (lost.requeued()) {
            events.publish(new RunQueued(row.key(), row.project(), row.job(), clock.instant()));
            return;
        }
        try {
            failedLost.accept(lost);
        } catch (RuntimeException e) {
            LOG.warn("run {}: what it was doing cannot be closed: {}", lost.key(), e.toString());
        }
        if (!row.isFinal()) return; // the takeover stored it final: anything else is not this round's to tell
        RunRecovery.endEvents(row, lost.runningTasks(), clock.instant()).forEach(events::publish);
    }

    @Override
    public List<ClusterServer> servers() throws SQLException {
        return registry.list(clock.instant(), settings.lease(), runs.heldCounts());
    }

    /**
     * Stops heartbeating and leaves (the row goes). Call it after the dispatcher closed: the runs that were going
     * were stopped without being ended (see {@code RunDispatcher.close}), and their leases end now, so the next
     * heartbeat of another server (or this one's next start) takes them over as it would a lost server's.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        takeovers.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            takeovers.awaitTermination(5, TimeUnit.SECONDS);
            runs.renewLeases(id, Duration.ZERO); // its runs are due for takeover at once
            registry.remove(id);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cluster: server {} could not leave cleanly ({}); the others forget it later", id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
