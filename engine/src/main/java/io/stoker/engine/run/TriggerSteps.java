package io.stoker.engine.run;

import io.stoker.engine.trigger.TriggerRequest;
import io.stoker.engine.trigger.TriggeredRun;
import io.stoker.expr.ExpressionException;
import io.stoker.model.Step;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A task's {@code trigger} steps: renders the step's parameters, starts the other job through the
 * {@link io.stoker.engine.trigger.JobTrigger} port and, when asked, waits for that run's end. A cancel, the job
 * timeout or the task's deadline cancels the wait. A step that waits gives the task's slot back first: the run it
 * starts may need that very slot (one slot: it would wait for ever), and waiting runs no process.
 */
final class TriggerSteps {
    private final RunExecution run;

    TriggerSteps(RunExecution run) {
        this.run = run;
    }

    Outcome run(TaskRun t, PipeGroup g, Step.Trigger step, Deadline deadline) throws InterruptedException {
        String job = step.job();
        Map<String, String> parameters = new LinkedHashMap<>();
        try {
            TaskScope scope = run.environment.scope(t, g);
            for (var e : step.parameters().entrySet()) parameters.put(e.getKey(), scope.render(e.getValue()));
        } catch (ExpressionException | RuntimeException e) {
            run.note(t, "cannot render the parameters of trigger " + job + ": " + e.getMessage());
            return new Outcome.Failed(null, "template error: " + e.getMessage());
        }
        // a triggered run stores and shows its parameters, and its logs mask only its own secrets: a secret value
        // passed on as a parameter would leak there, so the trigger is refused instead
        for (var e : parameters.entrySet()) {
            if (!run.mask.apply(e.getValue()).equals(e.getValue())) {
                String why = "parameter '" + e.getKey() + "' of trigger " + job + " would carry a secret value into"
                        + " that run, where parameters are stored and shown; let " + job + " declare the secret itself";
                run.note(t, why);
                return new Outcome.Failed(null, why);
            }
        }
        run.note(t, "triggering " + job + (parameters.isEmpty() ? "" : " with " + String.join(" ",
                parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())));
        // before the run is queued, so that the server, told of it, sees this run only waiting
        if (step.waitForRun()) run.scheduler().giveBack(g, t);
        CompletableFuture<TriggeredRun> started;
        try {
            started = run.ports.jobs().trigger(new TriggerRequest(run.key(), t.name(), job, parameters, step.waitForRun()));
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        TriggeredRun other;
        try {
            other = StepWait.waitFor(run, t, started, deadline, " while waiting");
        } catch (CancellationException e) {
            return StepWait.stopped(run, t, "stopped waiting for " + job + " to start");
        } catch (ExecutionException e) {
            String why = e.getCause() == null || e.getCause().getMessage() == null ? String.valueOf(e.getCause())
                    : e.getCause().getMessage();
            run.note(t, "cannot trigger " + job + ": " + why);
            return new Outcome.Failed(null, "cannot trigger '" + job + "': " + why);
        }
        run.note(t, "triggered " + job + " run " + other.key());
        if (!step.waitForRun()) return new Outcome.Succeeded();
        RunState end;
        try {
            end = StepWait.waitFor(run, t, other.end(), deadline, " while waiting");
        } catch (CancellationException e) {
            other.end().cancel(true);
            return StepWait.stopped(run, t, "stopped waiting for " + job + " run " + other.key());
        } catch (ExecutionException e) {
            run.note(t, "lost track of " + job + " run " + other.key() + ": " + e.getCause());
            return new Outcome.Failed(null, "lost track of triggered run " + other.key() + ": " + e.getCause());
        }
        run.note(t, job + " run " + other.key() + " " + end.label());
        return end == RunState.SUCCEEDED ? new Outcome.Succeeded()
                : new Outcome.Failed(null, "triggered run " + other.key() + " of '" + job + "' " + end.label());
    }
}
