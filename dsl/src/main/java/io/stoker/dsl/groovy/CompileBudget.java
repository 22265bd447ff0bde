package io.stoker.dsl.groovy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * The backstop for compiling a Jobfile: the compiling thread's own CPU time against {@code cpu}, so a loaded machine
 * (whose threads wait for a core) does not abandon a compile that is merely slow in wall time, while a compile that
 * really burns the budget is still stopped. A much larger wall-clock {@code wall} is the safety net for a thread
 * that makes no progress at all (blocked) or a JVM that cannot measure thread CPU time.
 */
final class CompileBudget {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long POLL_NANOS = 50_000_000L;

    private final Thread worker;
    private final long cpuNanos;
    private final long wallNanos;
    private final long startedNanos;
    private final boolean measured;

    CompileBudget(Thread worker, Duration cpu, Duration wall, long startedNanos) {
        this.worker = worker;
        this.cpuNanos = cpu.toNanos();
        this.wallNanos = wall.toNanos();
        this.startedNanos = startedNanos;
        this.measured = THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    }

    /** Whether the compile has used up its budget (the CPU one, or the wall-clock net). */
    boolean spent(long nowNanos) {
        if (nowNanos - startedNanos >= wallNanos) return true;
        if (!measured) return nowNanos - startedNanos >= cpuNanos;
        long used = THREADS.getThreadCpuTime(worker.threadId());
        return used >= cpuNanos; // -1 once the thread has ended: not spent, the caller sees it ended
    }

    /** How long to wait before asking again: at most until the wall net, and often enough to see the CPU budget go. */
    long waitNanos(long nowNanos) {
        return Math.max(1_000_000L, Math.min(POLL_NANOS, startedNanos + wallNanos - nowNanos));
    }
}
