package io.stoker.dsl.isolate;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many isolated compiles run at once: each is a worker JVM of its own (~100 MB, a core while it evaluates), so
 * compiles asked for together beyond the machine's means all ran out of their wall-clock time. At most
 * {@code concurrent} run; up to {@code waiting} more wait their turn, in order (the wait is not part of a compile's
 * time limit, which starts with its worker); beyond that a compile is refused with {@link CompilerBusy} at once.
 */
public final class CompileSlots {
    /** Compiles at once by default: a worker JVM per core, at most two. */
    public static final int DEFAULT_CONCURRENT = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    /** How many compiles may wait per one that runs. */
    public static final int WAITING_PER_SLOT = 4;

    private final int concurrent;
    private final int waiting;
    private final Semaphore running;
    private final AtomicInteger queued = new AtomicInteger();
    private final Duration retryAfter;

    /**
     * @param retryAfter when a refused caller may try again: about one compile's time limit
     */
    public CompileSlots(int concurrent, int waiting, Duration retryAfter) {
        if (concurrent < 1) throw new IllegalArgumentException("concurrent compiles must be at least 1, was " + concurrent);
        if (waiting < 0) throw new IllegalArgumentException("waiting compiles must be 0 or more, was " + waiting);
        this.concurrent = concurrent;
        this.waiting = waiting;
        this.running = new Semaphore(concurrent, true);
        this.retryAfter = retryAfter;
    }

    /** {@code concurrent} at once and {@link #WAITING_PER_SLOT} waiting for each. */
    public static CompileSlots of(int concurrent, Duration retryAfter) {
        return new CompileSlots(concurrent, concurrent * WAITING_PER_SLOT, retryAfter);
    }

    public int concurrent() {
        return concurrent;
    }

    public int waiting() {
        return waiting;
    }

    /** A slot taken; closing it lets the next compile run. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits for a slot, in order; {@link CompilerBusy} at once when {@link #waiting()} compiles wait already. */
    public Slot take() {
        return take(true);
    }

    /**
     * Waits for a slot, in order, however many wait: the server's own compiles (a push's, a poll's) are never
     * refused; they count among the waiting, so requests are refused sooner while they wait.
     */
    public Slot takeInTurn() {
        return take(false);
    }

    private Slot take(boolean mayRefuse) {
        if (!tryNow()) {
            if (queued.incrementAndGet() > waiting && mayRefuse) {
                queued.decrementAndGet();
                throw new CompilerBusy(concurrent, waiting, retryAfter);
            }
            try {
                running.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompilerBusy(concurrent, waiting, retryAfter);
            } finally {
                queued.decrementAndGet();
            }
        }
        var released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (!released.getAndSet(true)) running.release();
        };
    }

    /** A free slot with nobody waiting before us (a fair semaphore's untimed tryAcquire would barge). */
    private boolean tryNow() {
        try {
            return running.tryAcquire(0, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How many slots are free now, for specs and diagnostics. */
    public int free() {
        return running.availablePermits();
    }

    /** How many compiles wait now, for specs and diagnostics. */
    public int queued() {
        return queued.get();
    }
}
