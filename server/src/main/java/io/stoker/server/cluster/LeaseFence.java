package io.stoker.server.cluster;

import io.stoker.engine.log.LogSink;
import io.stoker.engine.log.LogStream;
import io.stoker.engine.log.TaskLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The logs the runs going on this cluster server write, held back while this server cannot tell whether it still
 * holds them. A run is this server's only while its lease holds: a server paused (or cut off from the database)
 * past its lease may find, when it goes on, that another server took the run over and ended it. What its tasks
 * printed meanwhile (waiting in their pipes) must not be appended to a run that is not its own any more.
 *
 * <p>Task output passes while the last renewal of this server's leases is recent (begun less than 90% of a lease
 * ago, by this machine's monotonic clock); otherwise it waits until the next heartbeat has renewed the leases and the
 * dispatcher has stopped the runs taken over elsewhere ({@link #renewed}). Output of a run given up here
 * ({@link #discard}) is dropped from then on. The engine's own lines (such as the note saying why a task's processes
 * were stopped) are never held back. A wait is bounded ({@link #maxWait}): a fence that is never opened slows the
 * tasks' output, it does not stop it.
 */
public final class LeaseFence implements LogSink {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseFence.class);

    private final LogSink logs;
    private final long openNanos;
    private final long maxWaitNanos;
    private final Object lock = new Object();
    /** Runs given up here, the newest {@value #REMEMBERED} (a run taken over never comes back to this server). */
    private final Set<String> discarded = java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(
            new java.util.LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));
    static final int REMEMBERED = 10_000;
    /** {@link System#nanoTime()} until which output passes; guarded by {@link #lock} for writes. */
    private volatile long openUntil;
    private volatile boolean warned;
    /** Whether any run was given up here: until then a write need not look. */
    private volatile boolean anyDiscarded;

    public LeaseFence(LogSink logs, Duration lease) {
        this.logs = logs;
        this.openNanos = lease.toNanos() / 10 * 9;
        this.maxWaitNanos = maxWait(lease).toNanos();
        this.openUntil = System.nanoTime();
    }

    /** How long one write waits at most for the fence to open: two leases and ten seconds. */
    static Duration maxWait(Duration lease) {
        return lease.multipliedBy(2).plusSeconds(10);
    }

    /**
     * The renewal begun at {@code beganNanos} ({@link System#nanoTime()}) succeeded, and every run it no longer
     * holds was {@linkplain #discard discarded}: output passes again until 90% of a lease after {@code beganNanos}.
     */
    public void renewed(long beganNanos) {
        synchronized (lock) {
            long until = beganNanos + openNanos;
            if (until - openUntil > 0) openUntil = until; // a late-told older renewal never shortens it
            lock.notifyAll();
        }
    }

    /** The run was taken over by another server: its tasks' output is dropped from now on. */
    public void discard(String runKey) {
        discarded.add(runKey);
        anyDiscarded = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    @Override
    public TaskLog open(String runKey, String task) throws IOException {
        TaskLog log = logs.open(runKey, task);
        return new TaskLog() {
            @Override
            public void lines(LogStream stream, long epochMillis, byte[] buf, int off, int len) {
                if (admits(runKey, stream)) log.lines(stream, epochMillis, buf, off, len);
            }

            @Override
            public void line(LogStream stream, long epochMillis, String text) {
                if (admits(runKey, stream)) log.line(stream, epochMillis, text);
            }

            @Override
            public String location() {
                return log.location();
            }

            @Override
            public void close() {
                log.close();
            }
        };
    }

    /**
     * Whether a write of {@code stream} to the run's log goes through, after waiting for the fence if it is shut. The
     * engine's own lines always pass at once (some are written on threads the fence's opening needs); only the
     * tasks' output, read by pump threads of its own, waits.
     */
    boolean admits(String runKey, LogStream stream) {
        if (stream == LogStream.SYSTEM) return true;
        if (anyDiscarded && discarded.contains(runKey)) return false;
        if (System.nanoTime() - openUntil < 0) return true;
        awaitOpen(runKey);
        return !discarded.contains(runKey);
    }

    private void awaitOpen(String runKey) {
        long deadline = System.nanoTime() + maxWaitNanos;
        synchronized (lock) {
            while (!discarded.contains(runKey) && System.nanoTime() - openUntil >= 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (!warned) {
                        warned = true;
                        LOG.warn("run {}: this server's leases were not renewed for {} s; its logs are written unconfirmed",
                                runKey, TimeUnit.NANOSECONDS.toSeconds(maxWaitNanos));
                    }
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
