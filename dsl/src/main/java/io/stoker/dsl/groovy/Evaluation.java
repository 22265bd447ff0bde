package io.stoker.dsl.groovy;

import io.stoker.dsl.draft.JobfileDraft;
import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The state of evaluating one Jobfile: the draft being filled, where the script is (set by the position marks the
 * compiler injected before every statement), and the budget (CPU time, memory, collected text) checked there.
 * The time budget is the evaluating thread's own CPU time (a thread waiting for a core on a loaded machine keeps it),
 * with {@link GroovyLimits#evaluationWallLimit()} as the wall-clock net. Reading the thread's CPU clock costs far more
 * than {@code System.nanoTime}, so it is read only when the wall time says the budget could be spent: a thread cannot
 * have used more CPU than the wall time that passed, so after reading {@code used} the next read is due
 * {@code budget - used} of wall time later.
 */
final class Evaluation {

    private static final com.sun.management.ThreadMXBean THREADS = threads();
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** The CPU clock is read at most once a millisecond of wall time, however close to the budget. */
    private static final long MIN_CPU_READ_NANOS = 1_000_000L;

    final String file;
    final GroovyLimits limits;
    final JobfileDraft draft;
    private volatile long startedNanos;
    /** Wall-clock net: System.nanoTime past which the evaluation stops whatever CPU it used. */
    private long wallDeadlineNanos;
    /** System.nanoTime at which the CPU clock is next read. */
    private long nextCpuReadNanos;
    /** The thread's CPU time when evaluation started (compiling does not count), or -1 if it cannot be measured. */
    private volatile long cpuStartNanos = -1;
    private volatile boolean cancelled;
    /** line << 32 | col: a long, not a Pos, so marking a statement allocates nothing. */
    private volatile long current;
    private long collected;
    private long allocationStart = -1;

    Evaluation(String file, GroovyLimits limits) {
        this.file = file;
        this.limits = limits;
        this.draft = new JobfileDraft(file);
    }

    /** Called before every statement of the Jobfile. */
    void at(int line, int col) {
        current = (long) line << 32 | col & 0xFFFFFFFFL;
        checkBudget();
    }

    Pos pos() {
        long at = current;
        return at == 0 ? Pos.NONE : new Pos((int) (at >>> 32), (int) at);
    }

    /** Compiling is done; the script's own time and memory start counting now. */
    void startEvaluating() {
        allocationStart = allocated();
        cpuStartNanos = cpuNow();
        long now = System.nanoTime();
        wallDeadlineNanos = now + limits.evaluationWallLimit().toNanos();
        nextCpuReadNanos = now + limits.timeout().toNanos();
        startedNanos = now;
    }

    /** The evaluating thread's CPU time when evaluation started, or -1 if thread CPU time cannot be measured. */
    long cpuStartNanos() {
        return cpuStartNanos;
    }

    /** When evaluation started (System.nanoTime), or 0 while still compiling. */
    long startedNanos() {
        return startedNanos;
    }

    void cancel() {
        cancelled = true;
    }

    void checkBudget() {
        if (cancelled || timeSpent() || Thread.currentThread().isInterrupted()) {
            throw stop("the Jobfile took longer than " + limits.timeout().toMillis() / 1000.0
                    + " s of CPU time to evaluate — is there an endless loop?");
        }
        if (allocationStart >= 0 && allocated() - allocationStart > limits.maxAllocatedBytes()) {
            // what is counted is what the script allocated, garbage included: a long loop that boxes numbers ends
            // here as surely as a list that doubles, so the message names both
            throw stop("the Jobfile allocated more than " + (limits.maxAllocatedBytes() >> 20)
                    + " MiB of memory while evaluating — is there an endless loop, or a list or text that keeps growing?");
        }
    }

    /** Whether the evaluation used up its CPU budget or passed the wall-clock net; reads the CPU clock rarely. */
    private boolean timeSpent() {
        if (startedNanos == 0) {
            return false;
        }
        long now = System.nanoTime();
        if (now - wallDeadlineNanos >= 0) {
            return true;
        }
        if (now - nextCpuReadNanos < 0) {
            return false;
        }
        long budget = limits.timeout().toNanos();
        long start = cpuStartNanos;
        if (start < 0) {
            return true; // no CPU clock: the budget is wall time, and it has passed
        }
        long used = cpuNow() - start;
        if (used >= budget) {
            return true;
        }
        nextCpuReadNanos = now + Math.max(MIN_CPU_READ_NANOS, budget - used);
        return false;
    }

    private static long cpuNow() {
        return CPU.isThreadCpuTimeSupported() && CPU.isThreadCpuTimeEnabled() ? CPU.getCurrentThreadCpuTime() : -1;
    }

    /** Counts collected text against the budget; returns it. */
    String collect(String text) {
        if (text != null) {
            charge(text.length());
        }
        return text;
    }

    void charge(long chars) {
        collected += chars + GroovyLimits.ENTRY_OVERHEAD;
        if (collected > limits.maxCollectedChars()) {
            throw stop("the Jobfile produced more than " + (limits.maxCollectedChars() >> 20)
                    + " MiB of text (steps, names, values)");
        }
    }

    void error(String message) {
        draft.diagnostics.add(Diagnostic.error(file, pos(), message));
    }

    DslStop stop(String message) {
        return new DslStop(pos(), message);
    }

    private static long allocated() {
        return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported()) {
            if (!bean.isThreadAllocatedMemoryEnabled()) {
                bean.setThreadAllocatedMemoryEnabled(true);
            }
            return bean;
        }
        return null;
    }
}
