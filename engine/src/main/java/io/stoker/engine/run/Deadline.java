package io.stoker.engine.run;

import io.stoker.model.Task;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When an attempt's time is up: the task's {@code timeout}, counted from the attempt's start and covering all its
 * segments. {@code atNanos} is on the {@link System#nanoTime()} scale.
 */
record Deadline(long atNanos, long limitMillis) {
    static final Deadline NONE = new Deadline(0, 0);

    /** From now, for one attempt of the task; {@link #NONE} when it has no time limit. */
    static Deadline forAttempt(Task task) {
        long limit = task.timeoutMillis();
        return limit > 0 ? new Deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit), limit) : NONE;
    }

    /** {@code limit} from now: a bound on work that follows a timeout (its limit is not the task's own). */
    static Deadline after(Duration limit) {
        return new Deadline(System.nanoTime() + limit.toNanos(), limit.toMillis());
    }

    /** The outcome of an attempt that ran out of time. */
    Outcome.TimedOut outcome() {
        return new Outcome.TimedOut("attempt timed out after " + RunExecution.human(limitMillis));
    }

    /** Whether the time is up now; never without a limit. */
    boolean passed() {
        return this != NONE && limitMillis > 0 && System.nanoTime() - atNanos >= 0;
    }

    /** Runs {@code onTimeout} on the timer when the time is up; null when there is no limit. */
    ScheduledFuture<?> arm(ScheduledExecutorService timer, Runnable onTimeout) {
        if (this == NONE || limitMillis == 0) return null;
        return timer.schedule(onTimeout, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
