package io.stoker.engine.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * Waits for what a step started outside a process (a triggered run, an image push) while a cancel, the job timeout
 * or the task's deadline may cancel it; those set the task's {@code killedAs} first, so the caller reports the right
 * outcome.
 */
final class StepWait {
    private StepWait() {
    }

    /** {@code onTimeout} is the log line written when the task's deadline cancels the wait. */
    static <T> T waitFor(RunExecution run, TaskRun t, CompletableFuture<T> future, Deadline deadline, String onTimeout)
            throws InterruptedException, ExecutionException {
        boolean stopNow;
        synchronized (run) {
            t.waiting(future);
            stopNow = run.stopping();
            if (stopNow) t.killedAs(run.stopOutcome());
        }
        if (stopNow) future.cancel(true);
        ScheduledFuture<?> timeout = deadline.arm(run.ports.timer(), () -> {
            t.killedAs(deadline.outcome());
            run.note(t, "timed out after " + RunExecution.human(deadline.limitMillis()) + onTimeout);
            future.cancel(true);
        });
        try {
            return future.get();
        } finally {
            if (timeout != null) timeout.cancel(false);
            t.waiting(null);
        }
    }

    /** The outcome of a wait that was cancelled, with a line saying what stopped. */
    static Outcome stopped(RunExecution run, TaskRun t, String what) {
        Outcome as = t.killedAs() != null ? t.killedAs() : new Outcome.Cancelled("the wait was cancelled");
        run.note(t, what + " (" + as.state().label() + ")");
        return as;
    }
}
