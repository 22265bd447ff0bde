package io.stoker.engine.run;

import io.stoker.engine.image.ImageDigest;
import io.stoker.engine.image.ImageStepRequest;
import io.stoker.engine.image.ImageStepResult;
import io.stoker.engine.log.LogStream;
import io.stoker.engine.log.TaskLog;
import io.stoker.expr.ExpressionException;
import io.stoker.model.Step;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A task's {@code buildImage} and {@code publishImage} steps: renders {@code push}, reads the login from the run's
 * secrets, and runs the step through the {@link io.stoker.engine.image.ImageSteps} port on its own thread, which a
 * cancel, the job timeout or the task's deadline interrupts. The pushed digest joins the task's record.
 */
final class ImageStepRunner {
    /** How long a stopped step may take to kill what it started before the attempt ends anyway. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final RunExecution run;

    ImageStepRunner(RunExecution run) {
        this.run = run;
    }

    Outcome run(TaskRun t, PipeGroup g, Step step, Deadline deadline) throws InterruptedException {
        String name = step instanceof Step.BuildImage ? "buildImage" : "publishImage";
        ImageStepRequest request;
        try {
            request = request(t, g, step);
        } catch (StepRefused e) {
            run.note(t, e.getMessage());
            return new Outcome.Failed(null, e.getMessage());
        } catch (ExpressionException | RuntimeException e) {
            run.note(t, "cannot render " + name + " push: " + e.getMessage());
            return new Outcome.Failed(null, "template error: " + e.getMessage());
        }
        run.note(t, name + " pushing to " + request.push()
                + (request.credentials() == null ? "" : " as " + request.credentials().user()));
        CompletableFuture<ImageStepResult> result = new CompletableFuture<>();
        Consumer<String> log = line -> {
            TaskLog out = t.log();
            if (out != null) out.line(LogStream.OUT, run.ports.clock().millis(), run.mask.apply(line));
        };
        Thread worker = run.ports.threads().newThread(() -> {
            try {
                result.complete(run.ports.images().run(request, log));
            } catch (InterruptedException e) {
                result.cancel(false);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) worker.interrupt(); // the port kills the engine's process it waits for
        });
        worker.start();
        ImageStepResult ended;
        try {
            ended = StepWait.waitFor(run, t, result, deadline, ": stopping " + name);
        } catch (CancellationException e) {
            worker.join(STOP_GRACE);
            return StepWait.stopped(run, t, name + " stopped");
        } catch (ExecutionException e) {
            String why = name + " broke: " + e.getCause();
            run.note(t, why);
            return new Outcome.Failed(null, why);
        }
        return switch (ended) {
            case ImageStepResult.Pushed p -> {
                t.image(new ImageDigest(p.reference(), p.digest(), ImageDigest.Use.PUSHED));
                yield new Outcome.Succeeded();
            }
            case ImageStepResult.Failed f -> {
                run.note(t, f.reason());
                yield new Outcome.Failed(null, f.reason());
            }
        };
    }

    private ImageStepRequest request(TaskRun t, PipeGroup g, Step step) throws ExpressionException {
        TaskScope scope = run.environment.scope(t, g);
        var workspace = run.request.workspace();
        return switch (step) {
            case Step.BuildImage b -> new ImageStepRequest.Build(workspace, b.context(), b.file(),
                    scope.render(b.push()), RunLogins.of(run.request, b.credentials()));
            case Step.PublishImage p -> new ImageStepRequest.Publish(workspace, p.from(), p.base(), p.entrypoint(),
                    scope.render(p.push()), RunLogins.of(run.request, p.credentials()));
            default -> throw new IllegalArgumentException("not an image step: " + step);
        };
    }
}
