package io.stoker.engine.run;

import io.stoker.engine.approval.ApprovalPort;
import io.stoker.engine.artifact.ArtifactStore;
import io.stoker.engine.cache.CacheStore;
import io.stoker.engine.exec.Executor;
import io.stoker.engine.image.ImageSteps;
import io.stoker.engine.log.LogSink;
import io.stoker.engine.trigger.JobTrigger;
import io.stoker.engine.version.DeployedVersions;
import io.stoker.engine.version.VersionStore;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Runs jobs' task graphs through the ports. One engine serves many runs at once; each {@link #start} returns at
 * once with a handle. Task attempts are waited for on platform threads; time limits use one timer thread.
 * Thread-safe.
 *
 * <p>Semantics worth knowing:
 * <ul>
 * <li>A task starts when every task it needs has ended and its {@code when} (default {@code success()}) is true;
 *     otherwise it is skipped. {@code failure()} looks at every upstream task, {@code success()} at direct ones.</li>
 * <li>Tasks joined by {@code input} form a pipe group: they start together, taking one parallel slot each (a group
 *     larger than the limit runs alone). A pipe group runs one attempt: {@code retry} applies to tasks outside
 *     pipes only.</li>
 * <li>{@link RunHandle#cancel()} kills what runs (cancelled) and cancels everything else; nothing starts after a
 *     cancel, not even {@code always()} tasks. The job timeout does the same, with running tasks timed out.</li>
 * <li>Every task gets a log, also a skipped or cancelled one (a system line says why), so followers always see an
 *     end.</li>
 * <li>Run state is saved through the {@link RunStore} after every change (writes coalesced on a background thread;
 *     the final state is saved before {@link RunHandle#result()} completes), and each change's event goes to the
 *     {@link RunListener} only after a save that holds it: a reader that saw an event reads that state or a later
 *     one.</li>
 * <li>Tasks in {@link RunRequest#reused()} are not run: once the tasks they need have ended they end as recorded,
 *     their outputs and artifacts passed on as if they had run (a partial rerun). Their artifact zips are unpacked
 *     into the workspace before any task starts, over what it was filled with; other files they left are not
 *     there.</li>
 * <li>A task's {@code cache} is unpacked into the workspace before its first step when the {@link CacheStore} has
 *     one for its key, and saved after it succeeded when it had none (see {@code RunCaches}).</li>
 * <li>Tasks outside the {@link RunRequest#selection()} are not run either: once the tasks they wait for have ended
 *     they end skipped, "not selected for this run" (a run of some tasks and what they need; it publishes no
 *     version).</li>
 * <li>A task's steps run in segments: consecutive {@code sh} steps as one process, each {@code trigger} step
 *     through the {@link JobTrigger} port between them. The task's time limit covers the whole attempt; a cancel
 *     or time limit while a trigger step waits cancels the wait (the port may then cancel the triggered run).</li>
 * <li>A task with an approval gate, once it is to run, waits in state {@code waiting} and asks the
 *     {@link ApprovalPort}; it holds no parallel slot meanwhile (other tasks run). Approved, it is queued as usual;
 *     rejected, or undecided when its timeout passes, it fails ("the build failed"), so what needs it is skipped.
 *     A cancel or the job timeout cancels a waiting task like a pending one. The run stays {@code running}.</li>
 * </ul>
 */
public final class RunEngine implements AutoCloseable {
    private final EnginePorts ports;
    private final ScheduledExecutorService timer;
    private final ConcurrentHashMap<String, RunExecution> active = new ConcurrentHashMap<>();

    /** An engine whose trigger steps fail: "triggering other jobs is not available here". */
    public RunEngine(Executor executor, LogSink logs, ArtifactStore artifacts, RunStore store, Clock clock) {
        this(executor, JobTrigger.UNAVAILABLE, logs, artifacts, store, clock);
    }

    /** An engine whose trigger steps start other jobs through {@code jobs}; approval gates are rejected. */
    public RunEngine(Executor executor, JobTrigger jobs, LogSink logs, ArtifactStore artifacts, RunStore store,
                     Clock clock) {
        this(executor, jobs, ApprovalPort.UNAVAILABLE, logs, artifacts, store, clock);
    }

    /** An engine whose approval gates ask {@code approvals} for a decision; without a version store. */
    public RunEngine(Executor executor, JobTrigger jobs, ApprovalPort approvals, LogSink logs, ArtifactStore artifacts,
                     RunStore store, Clock clock) {
        this(executor, jobs, approvals, logs, artifacts, store, null, clock);
    }

    /** An engine whose jobs' {@code publish} puts successful runs' artifacts into {@code versions}; no image steps. */
    public RunEngine(Executor executor, JobTrigger jobs, ApprovalPort approvals, LogSink logs, ArtifactStore artifacts,
                     RunStore store, VersionStore versions, Clock clock) {
        this(executor, jobs, approvals, logs, artifacts, store, versions, DeployedVersions.NONE, ImageSteps.UNAVAILABLE,
                clock);
    }

    /** An engine that publishes into {@code versions} and whose retention keeps the {@code deployed} versions. */
    public RunEngine(Executor executor, JobTrigger jobs, ApprovalPort approvals, LogSink logs, ArtifactStore artifacts,
                     RunStore store, VersionStore versions, DeployedVersions deployed, Clock clock) {
        this(executor, jobs, approvals, logs, artifacts, store, versions, deployed, ImageSteps.UNAVAILABLE, clock);
    }

    /** An engine whose {@code buildImage} and {@code publishImage} steps run through {@code images}. */
    public RunEngine(Executor executor, JobTrigger jobs, ApprovalPort approvals, LogSink logs, ArtifactStore artifacts,
                     RunStore store, VersionStore versions, ImageSteps images, Clock clock) {
        this(executor, jobs, approvals, logs, artifacts, store, versions, DeployedVersions.NONE, images, clock);
    }

    /**
     * An engine that publishes into {@code versions}, whose retention keeps the {@code deployed} versions and whose
     * image steps run through {@code images}.
     */
    public RunEngine(Executor executor, JobTrigger jobs, ApprovalPort approvals, LogSink logs, ArtifactStore artifacts,
                     RunStore store, VersionStore versions, DeployedVersions deployed, ImageSteps images, Clock clock) {
        this(executor, jobs, approvals, logs, artifacts, store, versions, deployed, images, CacheStore.NONE, clock);
    }

    /** An engine as above whose tasks' caches are kept in {@code caches} between runs. */
    public RunEngine(Executor executor, JobTrigger jobs, ApprovalPort approvals, LogSink logs, ArtifactStore artifacts,
                     RunStore store, VersionStore versions, DeployedVersions deployed, ImageSteps images,
                     CacheStore caches, Clock clock) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "stoker-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // finished tasks' timeouts must not pile up in a long-lived server
        this.timer = timer;
        // platform threads: a task's thread waits on processes and the run store (native waits, monitors, file I/O);
        // on virtual threads those pin carriers, and pinned carriers left runs "running" with no task started
        this.ports = new EnginePorts(executor, jobs, approvals, logs, artifacts, store, versions, deployed, images, caches,
                clock,
                timer,
                new TaskThreads(Thread.ofPlatform().daemon().name("stoker-task-", 0).factory()));
    }

    /**
     * Starts a run in the background; events go to {@code listener}. The run's key must not be running already.
     */
    public RunHandle start(RunRequest request, RunListener listener) {
        RunExecution run = new RunExecution(ports, request, listener);
        if (active.putIfAbsent(run.key(), run) != null) {
            throw new IllegalStateException("run '" + run.key() + "' is running already");
        }
        run.result().whenComplete((r, e) -> active.remove(run.key(), run));
        run.begin();
        return run;
    }

    /** Runs to the end and returns the final record. */
    public RunRecord run(RunRequest request, RunListener listener) throws InterruptedException {
        return start(request, listener).await();
    }

    /** A run of this engine that has not ended yet. */
    public Optional<RunHandle> find(String runKey) {
        return Optional.ofNullable(active.get(runKey));
    }

    /**
     * Cancels the runs still going and stops the timer thread once its pending work (a delayed state save) is
     * done; the thread is a daemon, so it never keeps the JVM alive.
     */
    @Override
    public void close() {
        active.values().forEach(RunExecution::cancel);
        timer.shutdown();
    }
}
