package io.stoker.engine.run;

import io.stoker.engine.exec.OutputNotAFile;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.log.LineWriter;
import io.stoker.engine.log.LogStream;
import io.stoker.expr.ExpressionException;
import io.stoker.model.Step;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One process of a task attempt (a shell segment, or a pipe member's whole attempt): started through the executor,
 * its stderr and stdout pumped into the log (and a pipe writer's stdout into its readers), killed when its time
 * is up, then read for its outcome, outputs and artifacts. One that could not start carries its outcome instead.
 */
final class ProcessAttempt {
    /** How the reason of an attempt whose executor could not start its process begins. */
    static final String CANNOT_START = "cannot start: ";
    /** How the reason of an attempt whose scripts or env could not be rendered begins (no process was started). */
    static final String TEMPLATE_ERROR = "template error: ";
    /** How long a finished task's output streams may stay open (held by a background child) before their holders are killed. */
    private static final Duration STREAM_GRACE = Duration.ofMillis(200);
    /**
     * Stream pumps sit in blocking pipe reads for the whole life of a task. On virtual threads every such read
     * pins a carrier (the JDK compensates only up to its pool limit), so hundreds of running tasks could starve
     * the scheduler: pumps get small platform threads instead, reused like the task threads ({@link TaskThreads}).
     */
    private static final TaskThreads PUMPS = new TaskThreads(Thread.ofPlatform().daemon().name("stoker-pump-", 0)
            .stackSize(256 * 1024).factory());

    private final RunExecution run;
    private final TaskRun task;
    private final RunningTask handle;
    private final Outcome ended;
    private final ScheduledFuture<?> timeout;
    private final Deadline deadline;
    private LineWriter out;
    private Future<?> errPump;
    private Future<?> outPump;
    /** Set by the stdout pump when every reader of this pipe writer exited and its stdout was closed on purpose. */
    private volatile boolean stdoutClosedByReaders;

    private ProcessAttempt(RunExecution run, TaskRun task, RunningTask handle, Outcome ended, ScheduledFuture<?> timeout,
                           Deadline deadline) {
        this.run = run;
        this.task = task;
        this.handle = handle;
        this.ended = ended;
        this.timeout = timeout;
        this.deadline = deadline;
    }

    /** An attempt that ended before its process started. */
    static ProcessAttempt ended(TaskRun t, Outcome outcome) {
        return new ProcessAttempt(null, t, null, outcome, null, Deadline.NONE);
    }

    /** Starts one process running {@code steps}, bounded by {@code deadline}; stderr is pumped at once. */
    static ProcessAttempt start(RunExecution run, TaskRun t, PipeGroup g, int attempt, boolean piped,
                                List<Step.Sh> steps, Deadline deadline) {
        TaskLaunch launch;
        try {
            launch = run.environment.launch(t, g, attempt, piped, steps, text -> run.note(t, text));
        } catch (StepRefused e) {
            run.note(t, e.getMessage());
            return ended(t, new Outcome.Failed(null, e.getMessage()));
        } catch (ExpressionException | RuntimeException e) {
            run.note(t, "cannot render the task's scripts or env: " + e.getMessage());
            return ended(t, new Outcome.Failed(null, TEMPLATE_ERROR + e.getMessage()));
        }
        RunningTask handle;
        try {
            handle = run.ports.executor().start(launch);
        } catch (IOException | RuntimeException e) {
            run.note(t, CANNOT_START + e.getMessage());
            return ended(t, new Outcome.Failed(null, CANNOT_START + e.getMessage()));
        }
        boolean killNow;
        synchronized (run) {
            t.current(handle);
            killNow = run.stopping();
            if (killNow) t.killedAs(run.stopOutcome());
        }
        if (killNow) handle.kill();
        handle.onNote(text -> run.note(t, text));
        handle.onPlacement(p -> run.placement(t, p));
        run.tell(t); // after the placement it was told at once, if any: starting is told first, not running
        ScheduledFuture<?> timeout = deadline.arm(run.ports.timer(), () -> {
            t.killedAs(deadline.outcome());
            run.note(t, "timed out after " + RunExecution.human(deadline.limitMillis()) + ": killing its process tree");
            run.ports.threads().run(handle::kill);
        });
        ProcessAttempt a = new ProcessAttempt(run, t, handle, null, timeout, deadline);
        a.out = new LineWriter(t.log(), LogStream.OUT, run.mask, run.ports.clock());
        LineWriter err = new LineWriter(t.log(), LogStream.ERR, run.mask, run.ports.clock());
        a.errPump = PUMPS.submit(new StreamPump(handle.stderr(), err, List.of(), () -> { },
                e -> run.note(t, "log error: " + e.getMessage())));
        return a;
    }

    TaskRun task() {
        return task;
    }

    /** The outcome of an attempt that never started; null for one that did. */
    Outcome ended() {
        return ended;
    }

    OutputStream stdin() {
        return handle.stdin();
    }

    /** Kills the process, to be reported as {@code how}. */
    void kill(Outcome how) {
        task.killedAs(how);
        handle.kill();
    }

    /** Pumps stdout into the log and into {@code readers}; when every reader is gone, closes it (SIGPIPE). */
    void pumpStdout(List<OutputStream> readers) {
        outPump = PUMPS.submit(new StreamPump(handle.stdout(), out, readers, () -> {
            stdoutClosedByReaders = true;
            run.note(task, "every reader of this pipe exited; closing stdout (the task gets SIGPIPE, like in a shell)");
        }, e -> run.note(task, "log error: " + e.getMessage())));
    }

    /**
     * Waits for the process and its streams, then works out its outcome and outputs, and collects the task's
     * artifacts when {@link RunArtifacts#due} says its ending calls for it: a success of the attempt's last process
     * ({@code lastProcess}), a failure of the task's last attempt ({@code lastAttempt}), as its {@code when:} says.
     */
    Outcome await(RunArtifacts artifacts, boolean lastProcess, boolean lastAttempt) throws InterruptedException {
        int exit = handle.waitFor();
        if (timeout != null) timeout.cancel(false);
        // streams may still be held open by a background child of the task: give them a moment (a tee it left
        // finishes its last lines), then end what it left in its group, and whatever still holds the streams
        boolean held = !joinPumps(STREAM_GRACE);
        handle.stopBackground(held);
        if (held) {
            // a pipe writer's stdout pump may still be feeding a slow reader: that ends when the reader does
            boolean writer = !run.graph.readers(task.name()).isEmpty();
            joinPumps(writer ? Duration.ofDays(365) : Duration.ofSeconds(5));
        }
        handle.strays().forEach(s -> run.note(task, s));
        task.current(null);
        Outcome outcome;
        Outcome killedAs = task.killedAs();
        if (killedAs != null) {
            outcome = killedAs;
        } else if (handle.gaveUp()) {
            // no exit code: its process may still run, or ended unseen; the executor's reason says which
            String why = handle.failureReason();
            outcome = new Outcome.Failed(null, why != null ? why : "the executor gave up on it");
        } else if (exit == 0) {
            outcome = new Outcome.Succeeded();
        } else if (exit == 141 && stdoutClosedByReaders) {
            run.note(task, "exit 141 (SIGPIPE) after its readers exited counts as success, as in a shell pipe");
            outcome = new Outcome.Succeeded();
        } else {
            String why = handle.failureReason(); // the task's end line (or its retry's) says it, once
            outcome = new Outcome.Failed(exit, why != null ? why : "exit code " + exit);
        }
        try {
            OutputFile.Read written = OutputFile.read(handle.outputText());
            written.problems().forEach(p -> run.note(task, p));
            task.outputs(written.values());
        } catch (OutputNotAFile e) {
            run.note(task, e.getMessage()); // what the task left there instead, said as such
        } catch (IOException e) {
            run.note(task, "cannot read $STOKER_OUTPUT: " + e.getMessage());
        }
        handle.images().forEach(task::image);
        if (run.testReports.due(task, outcome, handle.gaveUp(), lastProcess)) {
            run.testReports.read(task, handle, outcome, deadline);
        }
        if (artifacts.due(task, outcome, handle.gaveUp(), lastProcess, lastAttempt)) {
            outcome = artifacts.collect(task, handle, outcome, deadline);
        }
        if (run.caches.due(task, outcome, handle.gaveUp(), lastProcess)) run.caches.save(task, handle, deadline);
        handle.release();
        return outcome;
    }

    private boolean joinPumps(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Future<?> p : List.of(errPump, outPump)) {
            try {
                p.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                // the pump broke (an Error): its stream is no longer read, as when its thread died before
            }
        }
        return true;
    }
}
