package io.stoker.dsl.groovy;

import io.stoker.dsl.draft.JobfileDraft;
import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;

import java.lang.management.ManagementFactory;

/**
 * The state of evaluating one Jobfile: the draft being filled, where the script is (set by the position marks the
 * compiler injected before every statement), and the budget (deadline, memory, collected text) checked there.
 */
final class Evaluation {

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    final String file;
    final GroovyLimits limits;
    final JobfileDraft draft;
    private volatile long startedNanos;
    private long deadlineNanos;
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
        long now = System.nanoTime();
        deadlineNanos = now + limits.timeout().toNanos();
        startedNanos = now;
    }

    /** When evaluation started (System.nanoTime), or 0 while still compiling. */
    long startedNanos() {
        return startedNanos;
    }

    void cancel() {
        cancelled = true;
    }

    void checkBudget() {
        if (cancelled || System.nanoTime() - deadlineNanos > 0 || Thread.currentThread().isInterrupted()) {
            throw stop("the Jobfile took longer than " + limits.timeout().toMillis() / 1000.0
                    + " s to evaluate — is there an endless loop?");
        }
        if (allocationStart >= 0 && allocated() - allocationStart > limits.maxAllocatedBytes()) {
            throw stop("the Jobfile used more than " + (limits.maxAllocatedBytes() >> 20)
                    + " MiB of memory while evaluating");
        }
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
