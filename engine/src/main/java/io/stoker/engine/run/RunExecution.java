package io.stoker.engine.run;

import io.stoker.engine.approval.Decision;
import io.stoker.engine.approval.Gate;
import io.stoker.engine.exec.Placement;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.image.RegistryCredentials;
import io.stoker.engine.log.LogStream;
import io.stoker.engine.log.SecretMask;
import io.stoker.engine.log.TaskLog;
import io.stoker.model.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of a job: its lifecycle (begin, cancel, job timeout, end) and the one place a task's state changes.
 * What starts when is the {@link Scheduler}'s, running attempts the {@link AttemptRunner}'s, saving and publishing
 * the {@link RunSaver}'s. This object is the run's lock: every state of the run and its {@link TaskRun}s is read
 * and written under it; processes are waited for on platform threads outside it.
 */
final class RunExecution implements RunHandle {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);

    final EnginePorts ports;
    final RunRequest request;
    final Job job;
    final TaskGraph graph;
    final SecretMask mask;
    final TaskEnvironment environment;
    private final Map<String, TaskRun> tasks = new LinkedHashMap<>();
    private final RunSaver saver;
    private final RunArtifacts artifacts;
    final RunCaches caches;
    final RunTestReports testReports;
    private final Scheduler scheduler;
    private final AttemptRunner runner;
    private final ApprovalGates gates;
    private final CompletableFuture<RunRecord> result = new CompletableFuture<>();
    private final Instant queuedAt;
    // guarded by this
    private RunState state = RunState.QUEUED;
    private String reason = "";
    private Instant startedAt;
    private Instant endedAt;
    private boolean cancelling;
    private boolean jobTimedOut;
    /** Stopped by a stopping server ({@link #abandon}): its end is not recorded. Guarded by this. */
    private boolean abandoned;
    private ScheduledFuture<?> jobTimer;

    RunExecution(EnginePorts ports, RunRequest request, RunListener listener) {
        this.ports = ports;
        this.request = request;
        this.job = request.job();
        this.graph = TaskGraph.of(job);
        this.mask = SecretMask.of(maskedValues(request));
        this.queuedAt = ports.clock().instant();
        job.tasks().forEach(t -> tasks.put(t.name(), new TaskRun(t, this)));
        this.environment = new TaskEnvironment(this, tasks);
        this.saver = new RunSaver(this, key(), ports.store(), listener, this::record, ports.timer(), ports.threads(),
                why -> abandon("this run was taken over elsewhere (" + why + "): its processes here were stopped"));
        this.artifacts = new RunArtifacts(this);
        this.caches = new RunCaches(this);
        this.testReports = new RunTestReports(this);
        this.gates = new ApprovalGates(this);
        this.runner = new AttemptRunner(this, artifacts);
        this.scheduler = new Scheduler(this, tasks, runner, gates);
    }

    /** Every secret value, and the password part of each registry login alone (an engine's output may echo it). */
    private static List<String> maskedValues(RunRequest request) {
        List<String> values = new ArrayList<>(request.secrets().values());
        for (String name : RegistryCredentials.secretNames(request.job())) {
            RegistryCredentials login = RegistryCredentials.parse(request.secrets().get(name));
            if (login != null) values.add(login.password());
        }
        return values;
    }

    @Override
    public String key() {
        return request.context().key();
    }

    void begin() {
        List<String> reused = scheduler.reusedInStartOrder();
        // before the first task starts: a task that runs may read what a reused one left, whether it needs it or not
        artifacts.restoreReused(reused);
        // a resumed run's own ended tasks are staged before its first save, which holds them ended and its gates
        // waiting: a server that stops again at any moment finds the run as resumable as it was
        Map<TaskRun, ReusedTask> kept = new LinkedHashMap<>();
        Map<TaskRun, String> staged = new LinkedHashMap<>();
        for (String name : reused) {
            ReusedTask earlier = request.reused().get(name);
            if (earlier.resumed() == null) continue;
            kept.put(tasks.get(name), earlier);
            staged.put(tasks.get(name), artifacts.stageReused(tasks.get(name), earlier));
        }
        Scheduler.Plan plan = null;
        synchronized (this) {
            state = RunState.RUNNING;
            startedAt = ports.clock().instant();
            saver.changed(new RunEvent(key(), state, startedAt));
            kept.forEach((t, earlier) -> runner.keep(t, earlier, staged.get(t)));
            Instant deadline = jobDeadline();
            // a resumed run's time counts from its first start: when it is up already, the run ends at once
            boolean timeLeft = deadline == null || deadline.isAfter(startedAt);
            if (deadline != null && timeLeft) {
                jobTimer = ports.timer().schedule(() -> ports.threads().run(() -> stop(true)),
                        deadline.toEpochMilli() - startedAt.toEpochMilli(), TimeUnit.MILLISECONDS);
            }
            if (timeLeft) plan = scheduler.plan();
            else keepGates();
        }
        if (plan == null) stop(true);
        else scheduler.carryOut(plan);
    }

    /**
     * A resumed run that ends at once keeps the gates its tasks had on record (a question asked and undecided stays
     * so, as when the job's timeout stops a run at a gate), instead of tasks that seem never to have reached one.
     * Under the lock.
     */
    private void keepGates() {
        request.resumed().gates().forEach((name, gate) -> {
            TaskRun t = tasks.get(name);
            if (t != null && t.gate() == null) t.gate(gate);
        });
    }

    /**
     * When the job's timeout stops the run, or null when the job has none: its time counts from the run's first
     * start, also for a run resumed after a restart of the server.
     */
    synchronized Instant jobDeadline() {
        if (job.timeoutMillis() <= 0 || startedAt == null) return null;
        Instant first = request.resumed().startedAt();
        return (first != null && first.isBefore(startedAt) ? first : startedAt).plusMillis(job.timeoutMillis());
    }

    @Override
    public void cancel() {
        stop(false);
    }

    @Override
    public void abandon(String note) {
        synchronized (this) {
            if (scheduler.finishing()) return;
            abandoned = true;
            saver.abandon();
            for (TaskRun t : tasks.values()) if (t.state().inAttempt()) note(t, note);
        }
        stop(false);
    }

    /** Kills what runs and cancels what has not started: on a cancel, or when the job's time is up. */
    private void stop(boolean timedOut) {
        List<RunningTask> toKill = new ArrayList<>();
        List<CompletableFuture<?>> toStopWaiting = new ArrayList<>();
        synchronized (this) {
            if (scheduler.finishing() || cancelling || jobTimedOut) return;
            if (timedOut) {
                jobTimedOut = true;
                reason = "job timed out after " + human(job.timeoutMillis());
            } else {
                cancelling = true;
                reason = "cancelled";
            }
            Outcome as = stopOutcome();
            for (TaskRun t : tasks.values()) {
                if (!t.state().inAttempt()) continue;
                if (t.current() != null) toKill.add(t.current());
                if (t.waiting() != null) toStopWaiting.add(t.waiting());
                if (t.current() != null || t.waiting() != null) t.killedAs(as);
            }
            scheduler.decideNoMore();
            for (TaskRun t : tasks.values()) {
                if (t.state() == TaskState.PENDING || t.state() == TaskState.QUEUED || t.state() == TaskState.WAITING) {
                    finish(t, new Outcome.Cancelled(timedOut ? reason + " before it started" : "run cancelled before it started"));
                }
            }
        }
        gates.stopAll();
        toKill.forEach(RunningTask::kill);
        toStopWaiting.forEach(w -> w.cancel(true));
        scheduler.afterChange();
    }

    synchronized boolean stopping() {
        return cancelling || jobTimedOut;
    }

    synchronized boolean cancelling() {
        return cancelling;
    }

    /** How what is stopped by a cancel or the job timeout ends. */
    synchronized Outcome stopOutcome() {
        return jobTimedOut ? new Outcome.TimedOut(reason) : new Outcome.Cancelled(reason);
    }

    /**
     * Marks the task running for this attempt, untold until {@link #tell} (or its executor's {@link #placement}):
     * an attempt that waits for an agent is first told starting, never running. Returns the outcome instead when
     * the run is stopping.
     */
    Outcome enterAttempt(TaskRun t, int attempt, int max) {
        synchronized (this) {
            if (stopping()) return t.outcome() != null ? t.outcome() : new Outcome.Cancelled(reason);
            openLog(t);
            t.enter(attempt, ports.clock().instant());
            // not saved yet: the one save of the attempt's start tells it as its executor placed it
        }
        if (max > 1) note(t, "attempt " + attempt + " of " + max);
        return null;
    }

    /** The executor told where the task's attempt stands before it runs: starting (and why), or running. */
    void placement(TaskRun t, Placement placement) {
        synchronized (this) {
            boolean changed = switch (placement) {
                case Placement.Waiting w -> t.awaitPlace(mask.apply(w.reason()));
                case Placement.Started s -> t.placed(ports.clock().instant());
            };
            if (changed) saver.changed(taskEvent(t));
        }
    }

    /**
     * Tells the attempt {@link #enterAttempt} entered as it stands (running, unless its executor said it waits),
     * once its executor took it, or before a step that runs no process; nothing when it was told already.
     */
    void tell(TaskRun t) {
        synchronized (this) {
            if (t.tell() && t.state().inAttempt()) saver.changed(taskEvent(t));
        }
    }

    /** Queues tasks whose group was decided to run. */
    void queue(List<TaskRun> run) {
        synchronized (this) {
            for (TaskRun t : run) {
                t.queue();
                saver.changed(taskEvent(t));
            }
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The task waits at its approval gate, which the log and an event tell; {@code again} when the gate waited before
     * the server restarted and opens again as it was. Under the lock.
     */
    void waitAtGate(TaskRun t, Gate gate, boolean again) {
        openLog(t);
        t.waitAt(gate);
        note(t, (again ? "the server restarted: waiting again for approval: " : "waiting for approval: ") + gate.question() + " (" + (gate.approvers().isEmpty()
                ? "anyone who may change the run" : "approvers: " + String.join(", ", gate.approvers()))
                + "; rejected if undecided by " + gate.deadline() + ")");
        saver.changed(taskEvent(t));
        saver.changed(new GateEvent(key(), t.name(), gate, ports.clock().instant(), again));
    }

    /** Records a gate's decision in the task's record and log. Under the lock. */
    void decideGate(TaskRun t, Decision d) {
        Gate decided = t.gate().decided(d, ports.clock().instant());
        t.gate(decided);
        note(t, d.verdict().label() + (d.by() == null ? "" : " by " + d.by())
                + (d.comment().isEmpty() ? "" : ": " + d.comment()));
        saver.changed(new GateEvent(key(), t.name(), decided, ports.clock().instant()));
    }

    @Override
    public synchronized boolean parked() {
        return !scheduler.finishing() && scheduler.onlyWaits();
    }

    @Override
    public Set<String> awaitingRuns() {
        return scheduler.slotless();
    }

    /** Seals a task's outcome; the one way a task ends. */
    void finish(TaskRun t, Outcome outcome) {
        finish(t, outcome, null);
    }

    /** As {@link #finish(TaskRun, Outcome)}, with a first line for its log (null for none). */
    void finish(TaskRun t, Outcome outcome, String first) {
        synchronized (this) {
            if (t.state().isFinal()) return;
            // an abandoned run's logs end with its note: the store, and whoever ends the run there, tell the rest
            if (!abandoned) openLog(t);
            if (first != null && !abandoned) note(t, first);
            // a task stopped by a cancel or the job's timeout did not fail on its own: the stop decides the run's end
            boolean allowed = t.task.allowFailure() && outcome.state().isFailure() && !stopping();
            long took = t.end(outcome, allowed, ports.clock().instant());
            String reason = outcome.reason();
            // "cancelled", not "cancelled: cancelled"
            String how = outcome.state().label() + (reason.isEmpty() || reason.equals(outcome.state().label()) ? ""
                    : ": " + reason);
            // "timedout: attempt timed out after 1.0s", not "… after 1.0s after 1.0s"; and no time for an attempt
            // that started nothing ("failed: cannot start: no agent matches 'gpu'", not "… after 0ms")
            boolean saysWhen = reason.contains(" after ");
            boolean startedNothing = Outcome.startedNothing(reason);
            if (!abandoned) note(t, took < 0 || saysWhen || startedNothing ? how : how + " after " + human(took));
            if (allowed && !abandoned) note(t, "allowed to fail: the run goes on as if it had succeeded");
            TaskLog log = t.log();
            try {
                if (log != null) log.close();
            } catch (RuntimeException e) {
                LOG.warn("run {}: the log of {} cannot be closed: {}", key(), t.name(), e.getMessage());
            }
            saver.changed(taskEvent(t));
        }
    }

    private TaskEvent taskEvent(TaskRun t) {
        return new TaskEvent(key(), t.name(), t.state(), t.attempts(), t.outcome(),
                ports.clock().instant(), t.allowedFailure(), t.waitingFor());
    }

    private void openLog(TaskRun t) {
        if (t.log() != null) return;
        try {
            t.log(ports.logs().open(key(), t.name()));
        } catch (IOException e) {
            LOG.warn("run {}: cannot open the log of {}: {}", key(), t.name(), e.toString());
        }
    }

    /** A system line in the task's log (masked); dropped when the log is not open. */
    void note(TaskRun t, String text) {
        TaskLog log = t.log();
        if (log == null) return;
        try {
            log.line(LogStream.SYSTEM, ports.clock().millis(), mask.apply(text));
        } catch (RuntimeException e) {
            // a log that cannot be written (a full disk) must not stop the run: a task's end is still saved
            LOG.warn("run {}: a line of the log of {} cannot be written ({}): {}", key(), t.name(), e.getMessage(), text);
        }
    }

    /**
     * Which tasks failed the run: {@code failed: lint; timed out: test} — a task that ran out of its own time is a
     * hang to look at, which "failed: test" would read as an exit code.
     */
    private static String failures(List<TaskRun> failed) {
        List<String> exited = failed.stream().filter(t -> t.state() != TaskState.TIMEDOUT).map(TaskRun::name).toList();
        List<String> timedOut = failed.stream().filter(t -> t.state() == TaskState.TIMEDOUT).map(TaskRun::name).toList();
        List<String> parts = new java.util.ArrayList<>();
        if (!exited.isEmpty()) parts.add("failed: " + String.join(", ", exited));
        if (!timedOut.isEmpty()) parts.add("timed out: " + String.join(", ", timedOut));
        return String.join("; ", parts);
    }

    /**
     * Ends the run once every task ended: publishes its version (a refusal fails the run), publishes or keeps its
     * artifacts, saves, then completes the result.
     */
    void complete() {
        RunState end;
        String why;
        synchronized (this) {
            if (cancelling) end = RunState.CANCELLED;
            else if (jobTimedOut) end = RunState.TIMEDOUT;
            else {
                // an allowed failure does not fail the run (as GitLab's allow_failure)
                List<TaskRun> failed = tasks.values().stream().filter(TaskRun::failsRun).toList();
                end = failed.isEmpty() ? RunState.SUCCEEDED : RunState.FAILED;
                if (!failed.isEmpty()) reason = failures(failed);
            }
        }
        if (end == RunState.SUCCEEDED) {
            String refused = new RunPublisher(this).publish(tasks.values()); // outside the lock: it copies files
            if (refused != null) {
                end = RunState.FAILED;
                synchronized (this) {
                    reason = refused;
                }
            }
        }
        synchronized (this) {
            why = reason;
        }
        artifacts.finish(end, why, tasks.values());
        RunRecord last;
        synchronized (this) {
            if (jobTimer != null) jobTimer.cancel(false);
            state = end;
            endedAt = ports.clock().instant();
            saver.changedLast(new RunEvent(key(), state, endedAt));
            last = record();
        }
        try {
            saver.awaitSaved();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        result.complete(last);
    }

    synchronized RunRecord record() {
        Map<String, TaskRecord> records = new LinkedHashMap<>();
        tasks.forEach((n, t) -> records.put(n, t.record(mask)));
        return new RunRecord(request.context(), state, reason, records, queuedAt, startedAt, endedAt);
    }

    @Override
    public RunRecord snapshot() {
        return record();
    }

    @Override
    public CompletableFuture<RunRecord> result() {
        return result;
    }

    static String human(long millis) {
        return DurationText.of(millis);
    }
}
