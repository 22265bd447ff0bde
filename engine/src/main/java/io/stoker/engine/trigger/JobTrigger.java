package io.stoker.engine.trigger;

import java.util.concurrent.CompletableFuture;

/**
 * The port a {@code trigger} step calls to start a run of another job. The local CLI runs a job of the same
 * Jobfile as a nested run; a server queues a run of the named job of the same project.
 *
 * <p>Contract: {@link #trigger} returns at once; its future completes when the run exists (with its key) or
 * fails with an exception whose message tells the user why nothing was started (unknown job, bad parameters,
 * busy). The {@link TriggeredRun#end()} future completes with the run's final state. When the step stops waiting
 * (its run is cancelled or times out) the engine cancels {@code end()}; an implementation should then cancel the
 * triggered run too, as Jenkins aborts a downstream build whose waiting upstream is aborted.
 */
@FunctionalInterface
public interface JobTrigger {

    CompletableFuture<TriggeredRun> trigger(TriggerRequest request);

    /** For engines with nowhere to start other jobs: every trigger step fails with a clear reason. */
    JobTrigger UNAVAILABLE = request -> CompletableFuture.failedFuture(
            new UnsupportedOperationException("triggering other jobs is not available here"));
}
