package io.stoker.server.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Whether the store can be written, for {@code /healthz}: a flag the failing path sets ({@link StoreFailure}, seen by
 * the pool), so a healthy server answers without a database round trip; while it is set, a write is tried at most
 * once per {@link #PROBE_EVERY} to see whether it can be cleared (the disk may have room again with nothing else
 * writing).
 */
public final class StoreHealth {
    private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    /** A small write that goes through only when the store can be written. */
    @FunctionalInterface
    interface Probe {
        void write() throws SQLException;
    }

    private record Problem(String reason, long since) {
    }

    private final Probe probe;
    private final LongSupplier nanos;
    private final AtomicReference<Problem> problem = new AtomicReference<>();
    private final ReentrantLock probing = new ReentrantLock();
    private volatile long probedAt;

    StoreHealth(Probe probe) {
        this(probe, System::nanoTime);
    }

    /** With the monotonic clock {@code nanos} (a spec's, moved by hand). */
    StoreHealth(Probe probe, LongSupplier nanos) {
        this.probe = probe;
        this.nanos = nanos;
    }

    /** The store failed for {@code reason}: said in the server log once, until it can be written again. */
    void failed(String reason) {
        long now = nanos.getAsLong();
        Problem was = problem.getAndUpdate(p -> p != null && p.reason().equals(reason) ? p
                : new Problem(reason, p == null ? now : p.since()));
        if (was == null) {
            LOG.warn("{}: it is opened again on its next use, and /healthz answers 503 until a write goes through",
                    reason);
            probedAt = now;
        }
    }

    /** Why the store cannot be written now, or empty; asks the store at most once per {@link #PROBE_EVERY}. */
    public Optional<String> problem() {
        Problem p = problem.get();
        if (p == null) return Optional.empty();
        if (nanos.getAsLong() - probedAt < PROBE_EVERY.toNanos() || !probing.tryLock()) return Optional.of(p.reason());
        try {
            probedAt = nanos.getAsLong();
            probe.write();
            if (problem.compareAndSet(p, null)) {
                LOG.info("the database can be written again, after {} s", (nanos.getAsLong() - p.since()) / 1_000_000_000);
            }
        } catch (SQLException | RuntimeException stillFailing) {
            LOG.debug("the database still cannot be written: {}", stillFailing.toString());
        } finally {
            probing.unlock();
        }
        return Optional.ofNullable(problem.get()).map(Problem::reason);
    }
}
