package io.stoker.dsl.groovy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * The backstop for compiling a Jobfile: the compiling thread's own CPU time against {@code cpu}, so a loaded machine
 * (whose threads wait for a core) does not abandon a compile that is merely slow in wall time, while a compile that
 * really burns the budget is still stopped. A much larger wall-clock {@code wall} is the safety net for a thread
 * that makes no progress at all (blocked) or a JVM that cannot measure thread CPU time. The same budget, counted from
 * the CPU time the thread had used when evaluation started, is the backstop for evaluating.
 */
final class CompileBudget {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long POLL_NANOS = 50_000_000L;

    private final Thread worker;
    private final long cpuNanos;
    private final long wallNanos;
    private final long startedNanos;
    private final long cpuBaselineNanos;
    private final boolean measured;

    CompileBudget(Thread worker, Duration cpu, Duration wall, long startedNanos) {
        this(worker, cpu, wall, startedNanos, 0);
    }

    /** {@code cpuBaselineNanos}: the worker's CPU time when this budget started (negative: not measurable). */
    CompileBudget(Thread worker, Duration cpu, Duration wall, long startedNanos, long cpuBaselineNanos) {
        this.worker = worker;
        this.cpuBaselineNanos = Math.max(0, cpuBaselineNanos);
        this.cpuNanos = cpu.toNanos();
        this.wallNanos = wall.toNanos();
        this.startedNanos = startedNanos;
        this.measured = cpuBaselineNanos >= 0 && THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    }

    /** Whether the compile has used up its budget (the CPU one, or the wall-clock net). */
    boolean spent(long nowNanos) {
        if (nowNanos - startedNanos >= wallNanos) return true;
        if (!measured) return nowNanos - startedNanos >= cpuNanos;
        long used = THREADS.getThreadCpuTime(worker.threadId());
        return used >= 0 && used - cpuBaselineNanos >= cpuNanos; // -1 once the thread has ended: not spent, the caller sees it ended
    }

    /** How long to wait before asking again: at most until the wall net, and often enough to see the CPU budget go. */
    long waitNanos(long nowNanos) {
        return Math.max(1_000_000L, Math.min(POLL_NANOS, startedNanos + wallNanos - nowNanos));
    }
}
