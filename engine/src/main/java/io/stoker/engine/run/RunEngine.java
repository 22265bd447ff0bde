package io.stoker.engine.run;

import io.stoker.engine.artifact.ArtifactStore;
import io.stoker.engine.exec.Executor;
import io.stoker.engine.log.LogSink;

import java.time.Clock;

/**
 * Runs jobs' task graphs through the ports. One engine serves many runs at once; each {@link #start} returns at
 * once with a handle. Thread-safe.
 */
public final class RunEngine implements AutoCloseable {
    private final Executor executor;
    private final LogSink logs;
    private final ArtifactStore artifacts;
    private final RunStore store;
    private final Clock clock;

    public RunEngine(Executor executor, LogSink logs, ArtifactStore artifacts, RunStore store, Clock clock) {
        this.executor = executor;
        this.logs = logs;
        this.artifacts = artifacts;
        this.store = store;
        this.clock = clock;
    }

    /** Starts a run in the background; events go to {@code listener}. */
    public RunHandle start(RunRequest request, RunListener listener) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Runs to the end and returns the final record. */
    public RunRecord run(RunRequest request, RunListener listener) throws InterruptedException {
        return start(request, listener).await();
    }

    /** Stops the engine's timer thread; runs still going are cancelled. */
    @Override
    public void close() {
    }
}
