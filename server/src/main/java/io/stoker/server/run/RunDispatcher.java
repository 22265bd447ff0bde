package io.stoker.server.run;

import io.stoker.engine.deploy.DeployJobs;
import io.stoker.engine.files.FileTrees;
import io.stoker.engine.params.ResolvedParameters;
import io.stoker.engine.run.PartialRerun;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.RunContext;
import io.stoker.engine.run.RunEngine;
import io.stoker.engine.run.RunHandle;
import io.stoker.engine.run.RunListener;
import io.stoker.engine.run.ReusedTask;
import io.stoker.engine.run.RunState;
import io.stoker.engine.run.TaskSelection;
import io.stoker.engine.run.TaskEvent;
import io.stoker.engine.start.RunStart;
import io.stoker.engine.start.HostAccessPolicy;
import io.stoker.engine.start.RunStarter;
import io.stoker.engine.start.SecretSource;
import io.stoker.engine.start.WorkspaceSource;
import io.stoker.model.Job;
import io.stoker.engine.run.GateEvent;
import io.stoker.server.event.EventHub;
import io.stoker.server.event.GateChanged;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunQueued;
import io.stoker.server.event.RunStarted;
import io.stoker.server.event.TaskChanged;
import io.stoker.server.git.GitMirrors;
import io.stoker.server.project.GitProjects;
import io.stoker.server.secret.SecretResolutionException;
import io.stoker.server.secret.SecretResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts queued runs, oldest first, while an executor slot is free. A slot is one run: at most {@code slots} runs
 * go at once, and each runs at most {@code slots} tasks at once. A job with {@code concurrency N} never has more than
 * N runs going; its later runs wait in the queue without holding back other jobs. The queue is the runs table, so
 * it survives restarts. All decisions happen on one dispatcher thread, so no two of them race. A run that only waits
 * ({@link RunHandle#parked()}: at approval gates, or for runs its trigger steps started) holds no slot, so the run
 * it triggered can have one; once a gate is approved or the triggered run ended it goes on at once, so for a while
 * more than {@code slots} runs may be going.
 *
 * <p>Each state change has one writer and is saved before its event is published: the dispatcher writes the moves it
 * makes (queued to running, queued to cancelled, a run that cannot start) through one {@link RunRepository} method
 * each; the engine writes the rest through {@link H2RunStore} and reports each change after saving it.
 */
public final class RunDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunDispatcher.class);
    /** Queued runs read at a time: more than a dispatch usually looks at (free slots, plus runs held back). */
    private static final int QUEUE_PAGE = 32;

    private final RunRepository runs;
    private final RunEngine engine;
    private final RunStarter starter;
    private final GitProjects git;
    private final EventHub events;
    private final Path workspaces;
    private final int slots;
    private final Clock clock;
    private final SecretResolver secrets;
    private final Path staged;
    private final HostAccess hostAccess;
    private final RunClaims claims;
    private final RunPlacement placement;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stoker-dispatcher");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Going> going = new HashMap<>(); // only touched on the loop thread
    /** Runs taken over by another server and being stopped here: stopped once, however many beats see it. */
    private final java.util.Set<String> abandoning = new java.util.HashSet<>(); // only touched on the loop thread
    /**
     * Runs being saved, or saved but whose {@code queued} event is not published yet (an API trigger publishes it
     * after its 201), with when that began: none is started before its event, so every watcher (status webhooks, a
     * forge's commit status, {@code /events}) hears {@code queued} before {@code running} and never after the end.
     * The queue keeps its order meanwhile: the runs behind one wait for its announcement, which looks at the queue.
     */
    private final Map<String, Long> unannounced = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<RunRow>> claimedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** An announcement later than this (a caller that never made it) no longer holds its run back. */
    private static final long ANNOUNCE_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    /**
     * Where cancels and a stop's abandons run: they kill processes, and a container's kill waits for podman to remove
     * it (seconds, retried), during which the loop would start no run and answer no other cancel.
     */
    private final ExecutorService stopper = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("stoker-stop-", 0).factory());
    /** Where a claimed run is prepared (secrets, checkout, engine start): at most one per slot at a time. */
    private final ExecutorService preparing = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("stoker-prepare-", 0).factory());
    private volatile boolean closed;

    /**
     * A run this server took: {@code prepared} completes with its handle once its workspace is ready and the engine
     * has it (null when it could not start); a cancel or a stop asked for before then acts on it when it does.
     */
    private record Going(String project, String job, CompletableFuture<RunHandle> prepared) {
        /** Its handle, or null while it is prepared (or when it could not start). */
        RunHandle handle() {
            return prepared.getNow(null);
        }

        /** Whether it only waits, at approval gates or for triggered runs (then it holds no slot). */
        boolean parked() {
            RunHandle h = handle();
            return h != null && h.parked();
        }
    }

    /** What a cancel did. */
    public enum Cancel { CANCELLING, CANCELLED, NOT_ACTIVE }

    /** @param secrets resolves the secrets a job declares for its project; null gives runs no secrets */
    public RunDispatcher(RunRepository runs, RunEngine engine, GitProjects git, EventHub events, Path workspaces,
                         int slots, Clock clock, SecretResolver secrets) {
        this(runs, engine, git, events, workspaces, slots, clock, secrets, null);
    }

    /**
     * @param staged where files prepared for a run wait ({@code <staged>/<run key>}, e.g. a fetched Build-Shuttle
     *               source): moved into the run's workspace when it starts; null for none
     */
    public RunDispatcher(RunRepository runs, RunEngine engine, GitProjects git, EventHub events, Path workspaces,
                         int slots, Clock clock, SecretResolver secrets, Path staged) {
        this(runs, engine, git, events, workspaces, slots, clock, secrets, staged, RunClaims.single(runs));
    }

    /** @param claims how a queued run is taken: alone, or against the other servers of a cluster */
    public RunDispatcher(RunRepository runs, RunEngine engine, GitProjects git, EventHub events, Path workspaces,
                         int slots, Clock clock, SecretResolver secrets, Path staged, RunClaims claims) {
        this(runs, engine, git, events, workspaces, slots, clock, secrets, staged, claims, project -> false);
    }

    /** Whether a project's admin allowed its containers host access ({@code --privileged}, host network, mounts). */
    @FunctionalInterface
    public interface HostAccess {
        boolean allowed(String project) throws java.sql.SQLException;
    }

    /** @param hostAccess whether a project's tasks in images may ask for host access */
    public RunDispatcher(RunRepository runs, RunEngine engine, GitProjects git, EventHub events, Path workspaces,
                         int slots, Clock clock, SecretResolver secrets, Path staged, RunClaims claims,
                         HostAccess hostAccess) {
        this(runs, engine, git, events, workspaces, slots, clock, secrets, staged, claims, hostAccess, RunPlacement.ANYWHERE);
    }

    /** @param placement whether a queued run is for this server (in a cluster: one with the agents it asks for) */
    public RunDispatcher(RunRepository runs, RunEngine engine, GitProjects git, EventHub events, Path workspaces,
                         int slots, Clock clock, SecretResolver secrets, Path staged, RunClaims claims,
                         HostAccess hostAccess, RunPlacement placement) {
        this.placement = placement;
        this.claims = claims;
        this.hostAccess = hostAccess;
        this.staged = staged;
        this.secrets = secrets;
        this.runs = runs;
        this.engine = engine;
        this.starter = new RunStarter(engine, slots);
        this.git = git;
        this.events = events;
        this.workspaces = workspaces;
        this.slots = slots;
        this.clock = clock;
    }

    /** Looks at the queue soon (after a run was queued or ended). */
    public void poke() {
        if (closed) return;
        try {
            loop.execute(this::dispatch);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the queue is looked at again on the next start
        }
    }

    /**
     * A cluster heartbeat renewed this server's leases: a run going here that the store no longer says this server
     * holds was taken over by another one while this one could not renew (a pause, the database out of reach), and
     * ended or queued again there. It is stopped here without being recorded (its processes killed), so it does not
     * run twice; then the queue is looked at. On the dispatcher's thread, where claims happen: every run going here
     * was claimed before the check reads the store. Completes with every run being given up here (this time or at an
     * earlier beat, and still going), or exceptionally when the store could not be read.
     */
    public CompletableFuture<Set<String>> afterHeartbeat() {
        CompletableFuture<Set<String>> gaveUp = new CompletableFuture<>();
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("closed"));
        try {
            loop.execute(() -> {
                try {
                    Set<String> held = claims.heldHere();
                    if (held != null) {
                        going.forEach((key, g) -> {
                            if (held.contains(key) || !abandoning.add(key)) return;
                            LOG.warn("run {} was taken over by another server: stopping it here", key);
                            whenPrepared(g, h -> h.abandon(TAKEN_OVER));
                        });
                    }
                    gaveUp.complete(Set.copyOf(abandoning));
                } catch (java.sql.SQLException e) {
                    LOG.warn("cannot read which runs this server holds: {}", e.toString());
                    gaveUp.completeExceptionally(e);
                }
                dispatch();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            gaveUp.completeExceptionally(e); // closing
        }
        return gaveUp;
    }

    /** The last line of a task's log whose run another server took over while it ran here. */
    static final String TAKEN_OVER = "this server could not renew its lease on the run in time and another server "
            + "took it over (see the run's status there): this task's processes here were stopped";

    /**
     * Cancels a queued run (it never starts) or a running one (its processes are killed); in a cluster, a run another
     * server holds is cancelled there (answered {@code CANCELLING} once asked).
     */
    public CompletableFuture<Cancel> cancel(String key) {
        return cancel(key, true, null);
    }

    /** As above, asked for by the user {@code by}, who is stored with the run (its page says who cancelled it). */
    public CompletableFuture<Cancel> cancel(String key, String by) {
        return cancel(key, true, by);
    }

    /** Cancels a run going on this server, asked by another server of the cluster; nothing when it is not here. */
    public void cancelHere(String key) {
        cancel(key, false, null);
    }

    private CompletableFuture<Cancel> cancel(String key, boolean anywhere, String by) {
        return CompletableFuture.supplyAsync(() -> {
            Going g = going.get(key);
            if (g != null && g.handle() == null && !g.prepared().isDone()) {
                // still being prepared: cancelled the moment the engine has it
                rememberCancel(key, by);
                whenPrepared(g, RunHandle::cancel);
                return Cancel.CANCELLING;
            }
            // the engine saves a run's end before its result completes: a run that has ended (its state is final, as
            // readers of the store already see it) is not going, even while its result is still on the way
            if (g != null && g.handle() != null && !g.handle().result().isDone()
                    && !g.handle().snapshot().state().isFinal()) {
                rememberCancel(key, by);
                stopper.execute(g.handle()::cancel);
                return Cancel.CANCELLING;
            }
            try {
                if (runs.cancelQueued(key, "cancelled before it started", clock.instant(), by)) {
                    RunRow row = runs.find(key).orElseThrow();
                    events.publish(new RunFinished(key, row.project(), row.job(), RunState.CANCELLED, clock.instant()));
                    return Cancel.CANCELLED;
                }
                if (anywhere && claims.cancelElsewhere(key)) {
                    rememberCancel(key, by); // the server holding it may die before it acts: a takeover then cancels
                    return Cancel.CANCELLING;
                }
                return Cancel.NOT_ACTIVE;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, loop);
    }

    /**
     * Stores the cancel before it is answered {@code cancelling}: a crash before the run's processes have ended then
     * ends it cancelled at the next start, not failed or queued again. A store that cannot take it does not stop the
     * cancel, which goes on in memory.
     */
    private void rememberCancel(String key, String by) {
        try {
            runs.askCancel(key, clock.instant(), by);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("run {}: the cancel goes on, but is not stored (a crash before it ends would forget it): {}",
                    key, e.toString());
        }
    }

    /** How many runs are going now (for health and tests). */
    public CompletableFuture<Integer> goingCount() {
        return CompletableFuture.supplyAsync(going::size, loop);
    }

    /**
     * Starts queued runs, oldest first, while a slot is free. The queue is read a page at a time, and not at all
     * when every slot is taken: reading all of it on each dispatch made a long queue cost its length per run ended
     * and per trigger (with 2,000 queued, ~40% of the dispatcher's time went to reading queued keys).
     */
    private void dispatch() {
        if (closed) return;
        try {
            long after = Long.MIN_VALUE;
            while (freeSlots()) {
                List<RunRepository.Queued> page = runs.queuedAfter(after, QUEUE_PAGE);
                for (RunRepository.Queued queued : page) {
                    if (!freeSlots()) return;
                    if (awaitsAnnouncement(queued.key())) return; // its announcement looks at the queue again
                    startIfAllowed(queued.key());
                }
                if (page.size() < QUEUE_PAGE) return;
                after = page.getLast().id();
            }
        } catch (Exception e) {
            LOG.error("dispatching the queue failed; it is tried again on the next change", e);
        }
    }

    /**
     * Calls {@code listener} with each run this server claimed, before it is prepared (on the dispatcher's thread:
     * keep it short), e.g. to write the combined log of a run streamed by another server of the cluster.
     */
    public void onClaimed(java.util.function.Consumer<RunRow> listener) {
        claimedListeners.add(listener);
    }

    private boolean awaitsAnnouncement(String key) {
        Long since = unannounced.get(key);
        if (since == null) return false;
        if (System.nanoTime() - since < ANNOUNCE_WAIT_NANOS) return true;
        unannounced.remove(key);
        LOG.warn("run {} was saved {} s ago and its queued event was never published: it starts now", key,
                java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(ANNOUNCE_WAIT_NANOS));
        return false;
    }

    /**
     * Whether a run may start: a run that only waits holds no slot (a gate may wait for a day; a run waiting for the
     * run it triggered would wait for ever for that run's slot).
     */
    private boolean freeSlots() {
        return going.values().stream().filter(g -> !g.parked()).count() < slots;
    }

    /** Starts a queued run unless its job's concurrency or its placement keeps it waiting. */
    private void startIfAllowed(String key) throws Exception {
        RunRow row = runs.find(key).orElse(null);
        Job job = runs.model(key).orElse(null);
        if (row == null || job == null || row.status() != RunState.QUEUED) return;
        if (job.concurrency() > 0) {
            long same = going.values().stream()
                    .filter(g -> g.project().equals(row.project()) && g.job().equals(row.job())).count()
                    + claims.runningElsewhere(row.project(), row.job());
            if (same >= job.concurrency()) return;
        }
        if (!placement.takeHere(job)) return; // another server of the cluster has the agents it asks for
        start(row, job);
    }

    /** A run whose tasks ask for host access its project was not given. */
    private static final class HostAccessRefused extends Exception {
        HostAccessRefused(String message) {
            super(message, null, false, false);
        }
    }

    private void start(RunRow row, Job job) throws Exception {
        if (!claims.claim(row.key(), job.concurrency(), clock.instant())) return;
        for (var listener : claimedListeners) {
            try {
                listener.accept(row);
            } catch (RuntimeException e) {
                LOG.warn("run {}: a listener of its claim failed: {}", row.key(), e.toString());
            }
        }
        events.publish(new RunStarted(row.key(), row.project(), row.job(), clock.instant()));
        Going g = new Going(row.project(), row.job(), new CompletableFuture<>());
        going.put(row.key(), g); // its slot is taken while it is prepared
        try {
            preparing.execute(() -> prepare(row, job, g));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            going.remove(row.key()); // stopping: it stays running in the store, ended at the next start
        }
    }

    /**
     * Off the dispatcher's thread, which must go on starting and cancelling other runs meanwhile: the host access
     * check, the secrets (a Vault may be slow to answer), the workspace (a big repository's checkout takes seconds),
     * then the engine. Completes the run's {@link Going#prepared} with its handle, or with null when it could not start.
     */
    /**
     * Refuses a run whose Jobfile signs a status webhook with a secret the project cannot read: that webhook was
     * given nothing when the run was queued ({@code JobfileWebhooks}), and the run says why rather than going on
     * without it. The values stay here: a task gets only the secrets it declares.
     */
    private void signingSecrets(RunRow row, Job job) throws SecretResolutionException {
        var names = new java.util.TreeSet<String>();
        job.notifications().forEach(n -> names.addAll(n.statusSecrets().values()));
        if (!names.isEmpty()) secrets.resolveDeclared(row.project(), job.name(), names, " to sign its status webhooks");
    }

    private void prepare(RunRow row, Job job, Going g) {
        Path workspace = workspaces.resolve(row.key());
        String repoUrl = row.gitUrl() == null ? null : GitMirrors.withoutCredentials(row.gitUrl());
        RunHandle handle;
        try {
            // what its trigger asked for; what is checked before the run (host access, secrets) is what will run
            TaskSelection selection = TaskSelection.of(job, row.selectedTasks());
            Job running = selection.cut(job);
            String refused = hostAccess.allowed(row.project()) ? null : HostAccessPolicy.refusal(running,
                    "the project setting allowHostAccess, which an admin sets (PUT /api/v1/projects/" + row.project()
                            + "/host-access {\"allowed\": true})");
            if (refused != null) throw new HostAccessRefused(refused);
            // before the checkout: a run that cannot have its secrets leaves no workspace behind
            boolean withheld = row.pr() != null && row.pr().secretsWithheld();
            if (!withheld && secrets != null) signingSecrets(row, running);
            Map<String, String> values = withheld ? Map.of() : RunStarter.secrets(running, secrets == null
                    ? SecretSource.NONE : (name, declared) -> secrets.resolveDeclared(row.project(), name, declared));
            if (DeployJobs.TRIGGER.equals(row.trigger()) && secrets != null) {
                // a deployment prints what the version holds, which a build may have written any secret of the
                // project into: its log masks them all; its task still gets none (a task is given only declared ones)
                Map<String, String> all = new java.util.LinkedHashMap<>(secrets.readableBy(row.project()));
                all.putAll(values);
                values = all;
            }
            if (withheld) {
                LOG.info("run {}: pull request #{} comes from a fork; its secrets are withheld", row.key(), row.pr().number());
            }
            WorkspaceSource files = repoUrl != null && row.commit() != null
                    ? ws -> git.checkout(row.project(), row.commit(), row.branch(), repoUrl, ws)
                    : staged(row.key());
            Map<String, ReusedTask> reused = new java.util.LinkedHashMap<>(row.rerunOf() != null
                    && (row.rerunFrom() != null || row.rerunFailed()) ? reuse(row, job) : Map.of());
            // a run a restart found waiting at its gates goes on: what it ended stays, its gates ask again
            ResumedRun resumed = ResumedRun.of(row);
            reused.putAll(resumed.ended());
            RunContext context = new RunContext(row.key(), row.number(), row.branch(), row.commit(), row.trigger(),
                    row.job(), row.project(), repoUrl, row.pr() == null ? null : row.pr().number(),
                    row.pr() == null ? null : row.pr().targetBranch(), row.tag());
            // the parameters were resolved when the run was queued; the row keeps them typed
            handle = starter.start(new RunStart(job, new ResolvedParameters(row.parameters()), context,
                    values, workspace, files, reused, row.forcePublish(), selection, resumed.resumed()), listener(row));
        } catch (Exception e) {
            if (e instanceof SecretResolutionException || e instanceof HostAccessRefused) LOG.warn("run {} could not start: {}", row.key(), e.getMessage());
            else LOG.warn("run {} could not start", row.key(), e);
            try {
                if (runs.failToStart(row.key(), "could not start: " + e.getMessage(), clock.instant())) {
                    events.publish(new RunFinished(row.key(), row.project(), row.job(), RunState.FAILED, clock.instant()));
                }
            } catch (Exception store) {
                LOG.warn("run {}: its failure to start could not be recorded: {}", row.key(), store.toString());
            }
            g.prepared().complete(null);
            onLoop(() -> {
                going.remove(row.key());
                abandoning.remove(row.key());
                dispatch();
            });
            return;
        }
        handle.result().whenComplete((r, e) -> {
            if (e != null) LOG.error("run {} broke", row.key(), e);
            if (closed) return;
            // the workspace goes off the dispatcher's thread: a big tree takes seconds to delete, during which no
            // run would start and no cancel be answered; its slot frees once it is gone
            Runnable freeSlot = () -> onLoop(() -> {
                going.remove(row.key());
                abandoning.remove(row.key());
                dispatch();
            });
            try {
                preparing.execute(() -> {
                    try {
                        if (repoUrl != null && row.commit() != null) git.release(workspace);
                        else FileTrees.deleteQuietly(workspace);
                    } catch (RuntimeException cleanup) {
                        LOG.warn("run {}: its workspace could not be cleared: {}", row.key(), cleanup.toString());
                    } finally {
                        freeSlot.run();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                freeSlot.run();
            }
        });
        g.prepared().complete(handle); // a cancel or a stop asked for meanwhile acts on it now
        // a run holds its slot until its handle is here: one that already only waits (its first task at a gate, or
        // waiting for the run its trigger step queued) freed it unseen, and that run would wait for ever behind it
        if (handle.parked()) poke();
    }

    /**
     * Acts on a run's handle (cancel, abandon: they kill processes) off the dispatcher's thread: on the stopper when
     * the run has its handle, else on the thread preparing it, once it has (nothing when it could not start).
     */
    private void whenPrepared(Going g, java.util.function.Consumer<RunHandle> act) {
        if (g.prepared().isDone()) {
            RunHandle h = g.handle();
            if (h != null) stopper.execute(() -> act.accept(h));
        } else {
            g.prepared().thenAccept(h -> {
                if (h != null) act.accept(h);
            });
        }
    }

    /** Runs {@code work} on the dispatcher's thread, unless the dispatcher has stopped. */
    private void onLoop(Runnable work) {
        try {
            loop.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the server stops; nothing more to start
        }
    }

    /** The files prepared for the run, moved into its workspace (same file system); none: an empty workspace. */
    private WorkspaceSource staged(String key) {
        Path dir = staged == null ? null : staged.resolve(key);
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) return WorkspaceSource.EMPTY;
        return ws -> {
            try (var children = java.nio.file.Files.list(dir)) {
                for (Path child : children.toList()) java.nio.file.Files.move(child, ws.resolve(child.getFileName().toString()));
            }
            FileTrees.deleteQuietly(dir);
        };
    }

    /**
     * A rerun from a task, or of the failed tasks, takes over the earlier run's results of the tasks before them
     * (the engine stages their zips and unpacks them into the workspace, after the checkout).
     */
    private Map<String, ReusedTask> reuse(RunRow row, Job job) throws Exception {
        RunRow earlier = runs.find(row.rerunOf()).orElseThrow(() -> new IllegalStateException("run " + row.rerunOf() + " is gone"));
        RunRecord record = H2RunStore.record(earlier);
        return row.rerunFailed() ? PartialRerun.ofFailed(job, record).reused(record)
                : RerunFrom.reused(job, row.rerunFrom(), record);
    }

    /** The engine's events of a run: the engine calls it after saving the state each reports. */
    private RunListener listener(RunRow row) {
        return new RunListener() {
            @Override
            public void taskChanged(TaskEvent e) {
                Integer exit = e.outcome() == null ? null : e.outcome().exitCode();
                events.publish(new TaskChanged(e.runKey(), row.project(), row.job(), e.task(), e.state(),
                        e.attempt(), exit, e.time(), e.allowedFailure(), e.waitingFor()));
                // a run now only waiting (at a gate, for a triggered run) has freed its slot
                if (engine.find(e.runKey()).map(RunHandle::parked).orElse(false)) poke();
            }

            @Override
            public void gateChanged(GateEvent e) {
                events.publish(new GateChanged(e.runKey(), row.project(), row.job(), e.task(), e.gate(), e.time(),
                        e.reopened()));
            }

            @Override
            public void runChanged(io.stoker.engine.run.RunEvent e) {
                // running was published when the dispatcher saved it; the engine saves the end
                if (e.state().isFinal()) {
                    events.publish(new RunFinished(e.runKey(), row.project(), row.job(), e.state(), e.time()));
                }
            }
        };
    }

    /**
     * A run is about to be saved: it is not started until {@link #queued} publishes its event (or {@link #notSaved}
     * says the save failed).
     */
    public void saving(String key) {
        unannounced.put(key, System.nanoTime());
    }

    /** The run {@link #saving} named was not saved after all. */
    public void notSaved(String key) {
        unannounced.remove(key);
    }

    /** Publishes that a run was queued (it is in the database already); from now on it may start. */
    public void queued(String key, String project, String job) {
        events.publish(new RunQueued(key, project, job, clock.instant()));
        unannounced.remove(key);
        poke();
    }

    /**
     * Stops starting runs, stops the ones going without ending them in the store ({@link RunHandle#abandon}) and
     * waits (bounded) until their processes are gone: a clean stop leaves them {@code running}, for the next start to
     * end as interrupted, as after a crash, but dated when this stop began.
     */
    public void close(java.time.Duration wait) {
        Instant stopping = clock.instant();
        var left = new java.util.concurrent.atomic.AtomicReference<List<String>>(List.of());
        List<CompletableFuture<?>> ends;
        try {
            ends = CompletableFuture.supplyAsync(() -> {
                closed = true;
                left.set(List.copyOf(going.keySet()));
                // not cancelled: a restart (an upgrade, a reboot) must not turn runs into cancels nobody asked for.
                // They stay running in the store and the next start ends them as after a crash: failed "server
                // restarted", or queued again when their job says retryOnRestart (in a cluster: the server that
                // takes this one's runs over)
                // a run still being prepared is stopped as soon as the engine has it
                going.values().forEach(g -> whenPrepared(g, h -> h.abandon(claims.stoppingNote())));
                return going.values().stream().<CompletableFuture<?>>map(g -> g.prepared().thenCompose(h ->
                        h == null ? CompletableFuture.completedFuture(null) : h.result())).toList();
            }, loop).get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
                    .get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("runs still going at shutdown did not end in {}; the next start marks them interrupted", wait);
        } finally {
            closed = true;
            try { // their end, at the next start, is dated now
                runs.markStopped(left.get(), stopping);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("the runs left running could not be marked stopped: {}", e.toString());
            }
            loop.shutdownNow();
            preparing.shutdown();
            stopper.shutdown();
        }
    }

    @Override
    public void close() {
        close(java.time.Duration.ofSeconds(10));
    }
}
