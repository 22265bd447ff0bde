package io.stoker.server.logstream;

import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.outbox.DeliveryState;
import io.stoker.server.outbox.OutboxSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Streams runs' logs to the receivers they asked for. {@link #subscribe} is the one way in (the trigger request's
 * {@code webhooks.logs}, a Jobfile's {@code notify { webhook logs: … }}): it stores a row per receiver and spools the
 * run's combined log from its first line. Each stream is sent on a thread of a bounded pool of its own (never a
 * run's thread or the event loop): from the last acknowledged offset to the log's end, retried with the outbox's
 * backoff while the receiver fails, given up once it has failed for longer than the outbox's window. Rows still
 * pending at a restart are resumed by {@link #start}; in a cluster, those of a server gone by {@link #takeOver}.
 */
public final class LogStreams implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogStreams.class);
    /** How often a stream waiting for lines asks the database whether its run ended (the event may be missed). */
    private static final long ENDED_CHECK_MILLIS = 15_000;

    private final LogStreamRepository rows;
    private final CombinedLog combined;
    private final Predicate<String> runEnded;
    private final LogStreamSettings settings;
    private final Clock clock;
    private final List<LogShipper> shippers;
    private final ExecutorService senders;
    private final Map<String, Integer> openStreams = new ConcurrentHashMap<>(); // per run
    private volatile boolean closed;

    /**
     * @param runEnded whether a run has ended, as stored (for runs whose end event this process did not see)
     * @param shippers one per kind of target
     */
    public LogStreams(LogStreamRepository rows, CombinedLog combined, Predicate<String> runEnded,
                      LogStreamSettings settings, Clock clock, List<LogShipper> shippers) {
        this.rows = rows;
        this.combined = combined;
        this.runEnded = runEnded;
        this.settings = settings;
        this.clock = clock;
        this.shippers = List.copyOf(shippers);
        this.senders = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "stoker-log-stream");
            t.setDaemon(true);
            return t;
        });
    }

    /** Streams the run's log to each target; call before the run's first task starts. */
    public void subscribe(String runKey, List<LogTarget> targets) throws SQLException {
        if (targets.isEmpty()) return;
        List<LogStreamRow> added;
        hold(runKey, targets.size());
        try {
            added = rows.add(runKey, targets);
        } catch (SQLException | RuntimeException e) {
            release(runKey, targets.size());
            throw e;
        }
        for (LogStreamRow row : added) send(row);
    }

    /**
     * Resumes the streams a stopped server left pending. In a cluster, nothing: the streams of servers gone are taken
     * over by {@link #takeOver}, never those another live server is sending.
     */
    public void start() throws SQLException {
        if (!rows.shared()) resume(rows.pending());
    }

    /**
     * A server of a cluster takes over the pending streams whose sender is not among {@code alive} (it stopped, or
     * died), from their last acknowledged offsets.
     */
    public void takeOver(java.util.Set<String> alive) throws SQLException {
        if (!closed) resume(rows.takeOver(alive));
    }

    /**
     * Each stream is counted open (its run tapped) before the store is asked whether its run ended: a run end told
     * right after the store's "not ended" (by another server's takeover) then ends the spool instead of forgetting it,
     * which left the stream waiting for an end no event would tell again.
     */
    private void resume(List<LogStreamRow> pending) {
        for (LogStreamRow row : pending) {
            hold(row.runKey(), 1);
            if (runEnded.test(row.runKey())) combined.ended(row.runKey());
            send(row);
        }
    }

    /**
     * Whether the run's log is streamed (it has a receiver, whichever server sends to it): the server running it
     * writes its combined log then.
     */
    public boolean streamed(String runKey) throws SQLException {
        return rows.any(runKey);
    }

    /** A run's streams, oldest first. */
    public List<LogStreamRow> list(String runKey) throws SQLException {
        return rows.list(runKey);
    }

    /**
     * The hub subscriber (every server's events): a run's end ends its combined log once its task logs closed. A run
     * whose log no stream here sends (written for another server's senders, or for Build-Shuttle's log endpoint,
     * which read the file) is forgotten here then.
     */
    public void onEvent(LifecycleEvent event) {
        if (!(event instanceof RunFinished f)) return;
        combined.ended(f.run());
        openStreams.compute(f.run(), (k, open) -> {
            if (open == null) combined.forget(k);
            return open;
        });
    }

    /**
     * Taps the run and counts {@code n} more open streams of it: its spool is not forgotten at its end while any is
     * open. Tapping, forgetting and the count change together (one key's {@code compute} at a time).
     */
    private void hold(String runKey, int n) {
        openStreams.compute(runKey, (k, open) -> {
            combined.tap(k);
            return (open == null ? 0 : open) + n;
        });
    }

    /** Streams of the run are done: the last one forgets the run's spool (its file stays). */
    private void release(String runKey, int n) {
        openStreams.compute(runKey, (k, open) -> {
            int left = (open == null ? 0 : open) - n;
            if (left > 0) return left;
            if (!closed) combined.forget(k);
            return null;
        });
    }

    /** Sends a held stream on a sender thread; it is released when it ends. */
    private void send(LogStreamRow row) {
        try {
            senders.execute(() -> {
                try {
                    stream(row);
                } finally {
                    release(row.runKey(), 1);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            release(row.runKey(), 1); // closing: the row stays pending for the next start
        }
    }

    private void stream(LogStreamRow row) {
        LogShipper shipper = shippers.stream().filter(s -> s.sends(row.target())).findFirst().orElse(null);
        if (shipper == null) return;
        String key = row.runKey();
        long[] acked = {row.acked()};
        Instant[] downSince = {null}; // the first failure since the receiver last acknowledged something
        Integer[] lastStatus = {row.lastStatus()};
        int attempts = row.attempts();
        OutboxSettings backoff = settings.outbox();
        LogSource source = source(key);
        while (!closed) {
            attempts++;
            try {
                shipper.ship(key, row.target(), acked[0], source, (offset, status) -> {
                    acked[0] = offset;
                    downSince[0] = null;
                    lastStatus[0] = status;
                    rows.acked(row.id(), offset, status);
                });
                rows.attempted(row.id(), attempts, lastStatus[0], null, DeliveryState.DELIVERED);
                return;
            } catch (LogStreamRefused e) {
                LOG.warn("run {}: log stream to {} refused ({}); not retried", key, row.target().text(), e.getMessage());
                record(row, attempts, e.status(), e.getMessage(), DeliveryState.FAILED);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // closing: the row stays pending
            } catch (Exception e) {
                if (closed) return;
                String error = io.stoker.server.http.SendFailure.describe(e, row.target() instanceof LogTarget.Http h ? java.net.URI.create(h.text()) : null);
                Duration wait = backoff.delay(Math.max(1, attempts), ThreadLocalRandom.current().nextDouble());
                if (downSince[0] == null) downSince[0] = clock.instant();
                boolean late = clock.instant().plus(wait).isAfter(downSince[0].plus(backoff.window()));
                LOG.info("run {}: log stream to {} attempt {} failed at offset {} ({}); {}", key, row.target().text(),
                        attempts, acked[0], error, late ? "giving up: failing for longer than the window" : "retrying in " + wait.toMillis() + " ms");
                record(row, attempts, null, error, late ? DeliveryState.EXPIRED : DeliveryState.PENDING);
                if (late) return;
                try {
                    Thread.sleep(wait.toMillis()); // this stream's own thread: only its receiver waits
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void record(LogStreamRow row, int attempts, Integer status, String error, DeliveryState state) {
        try {
            rows.attempted(row.id(), attempts, status, error, state);
        } catch (SQLException e) {
            LOG.warn("run {}: recording the log stream's attempt failed: {}", row.runKey(), e.toString());
        }
    }

    /** The run's combined log as a sender reads it; now and then asks the database whether the run ended. */
    private LogSource source(String key) {
        long[] checked = {System.nanoTime()};
        return new LogSource() {
            @Override
            public boolean over() {
                return combined.over(key);
            }

            @Override
            public CombinedLog.Batch read(long offset, long waitMillis) throws IOException, InterruptedException {
                CombinedLog.Batch b = combined.read(key, offset, BATCH_BYTES, waitMillis);
                if (b.bytes().length == 0 && !b.end() && System.nanoTime() - checked[0] > ENDED_CHECK_MILLIS * 1_000_000) {
                    checked[0] = System.nanoTime();
                    if (runEnded.test(key)) combined.ended(key);
                }
                return b;
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        senders.shutdownNow();
        try {
            senders.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shippers.forEach(LogShipper::close);
    }
}
