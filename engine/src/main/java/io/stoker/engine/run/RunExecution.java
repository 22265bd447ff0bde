package io.stoker.engine.run;

import io.stoker.engine.artifact.ArtifactStore;
import io.stoker.engine.exec.Executor;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.files.SafeFileName;
import io.stoker.engine.log.LineWriter;
import io.stoker.engine.log.LogSink;
import io.stoker.engine.log.LogStream;
import io.stoker.engine.log.SecretMask;
import io.stoker.engine.log.TaskLog;
import io.stoker.engine.trigger.JobTrigger;
import io.stoker.engine.trigger.TriggerRequest;
import io.stoker.engine.trigger.TriggeredRun;
import io.stoker.expr.ExpressionException;
import io.stoker.expr.Expressions;
import io.stoker.expr.Unknown;
import io.stoker.model.Job;
import io.stoker.model.Step;
import io.stoker.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One run of a job: decides what starts when, runs attempts through the executor and records every change.
 * Scheduling decisions are made under this object's lock; processes are waited for on virtual threads.
 */
final class RunExecution implements RunHandle {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);
    /** How long a finished task's output streams may stay open (held by a background child) before its group is killed. */
    private static final Duration STREAM_GRACE = Duration.ofMillis(200);
    private static final Duration SAVE_INTERVAL = Duration.ofMillis(25);
    /**
     * Stream pumps sit in blocking pipe reads for the whole life of a task. On virtual threads every such read
     * pins a carrier (the JDK compensates only up to its pool limit), so hundreds of running tasks could starve
     * the scheduler: pumps get small platform threads instead.
     */
    private static final ThreadFactory PUMPS = Thread.ofPlatform().daemon().name("stoker-pump-", 0)
            .stackSize(256 * 1024).factory();

    private final Executor executor;
    private final JobTrigger jobs;
    private final LogSink logs;
    private final ArtifactStore artifactStore;
    private final RunStore store;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ThreadFactory threads;
    private final RunRequest request;
    private final RunListener listener;
    private final Job job;
    private final TaskGraph graph;
    private final SecretMask mask;
    private final Map<String, TaskRun> tasks = new LinkedHashMap<>();
    private final List<Group> groups = new ArrayList<>();
    private final Deque<Group> ready = new ArrayDeque<>();
    private final CompletableFuture<RunRecord> result = new CompletableFuture<>();

    private RunState state = RunState.QUEUED;
    private String reason = "";
    private final Instant queuedAt;
    private Instant startedAt;
    private Instant endedAt;
    private boolean cancelling;
    private boolean jobTimedOut;
    private boolean finishing;
    private int slotsInUse;
    private boolean dirty;
    private boolean flushing;
    private long lastSaveNanos = System.nanoTime() - SAVE_INTERVAL.toNanos();
    private ScheduledFuture<?> jobTimer;

    /** A pipe group as scheduled: its members, and those that will really run once it is decided. */
    private static final class Group {
        final List<TaskRun> members;
        final Set<String> external;
        boolean decided;
        List<TaskRun> toRun = List.of();

        Group(List<TaskRun> members, Set<String> external) {
            this.members = members;
            this.external = external;
        }
    }

    RunExecution(Executor executor, JobTrigger jobs, LogSink logs, ArtifactStore artifactStore, RunStore store,
                 Clock clock, ScheduledExecutorService timer, ThreadFactory threads, RunRequest request,
                 RunListener listener) {
        this.executor = executor;
        this.jobs = jobs;
        this.logs = logs;
        this.artifactStore = artifactStore;
        this.store = store;
        this.clock = clock;
        this.timer = timer;
        this.threads = threads;
        this.request = request;
        this.listener = listener == null ? RunListener.NONE : listener;
        this.job = request.job();
        this.graph = TaskGraph.of(job);
        this.mask = SecretMask.of(request.secrets().values());
        this.queuedAt = clock.instant();
        job.tasks().forEach(t -> tasks.put(t.name(), new TaskRun(t)));
        for (List<String> g : graph.groups()) {
            groups.add(new Group(g.stream().map(tasks::get).toList(), graph.externalUpstream(g)));
        }
    }

    @Override
    public String key() {
        return request.context().key();
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    void begin() {
        synchronized (this) {
            save();
            state = RunState.RUNNING;
            startedAt = clock.instant();
            emitRun();
            save();
            if (job.timeoutMillis() > 0) {
                jobTimer = timer.schedule(this::jobTimeout, job.timeoutMillis(), TimeUnit.MILLISECONDS);
            }
        }
        afterChange();
    }

    @Override
    public void cancel() {
        stop(false);
    }

    private void jobTimeout() {
        threads.newThread(() -> stop(true)).start();
    }

    private void stop(boolean timedOut) {
        List<RunningTask> toKill = new ArrayList<>();
        List<CompletableFuture<?>> toStopWaiting = new ArrayList<>();
        synchronized (this) {
            if (finishing || cancelling || jobTimedOut) return;
            if (timedOut) {
                jobTimedOut = true;
                reason = "job timed out after " + human(job.timeoutMillis());
            } else {
                cancelling = true;
                reason = "cancelled";
            }
            Outcome as = timedOut ? new Outcome.TimedOut(reason) : new Outcome.Cancelled(reason);
            for (TaskRun t : tasks.values()) {
                if (t.state == TaskState.RUNNING && t.current != null) {
                    t.killedAs = as;
                    toKill.add(t.current);
                }
                if (t.state == TaskState.RUNNING && t.waiting != null) {
                    t.killedAs = as;
                    toStopWaiting.add(t.waiting);
                }
            }
            ready.clear();
            for (Group g : groups) g.decided = true;
            for (TaskRun t : tasks.values()) {
                if (t.state == TaskState.PENDING || t.state == TaskState.QUEUED) {
                    finish(t, new Outcome.Cancelled(timedOut ? reason + " before it started" : "run cancelled before it started"));
                }
            }
        }
        toKill.forEach(RunningTask::kill);
        toStopWaiting.forEach(w -> w.cancel(true));
        afterChange();
    }

    private synchronized boolean stopping() {
        return cancelling || jobTimedOut;
    }

    /** Re-plans after any change; finishes the run when nothing is left. */
    private void afterChange() {
        boolean done;
        List<Group> toLaunch = new ArrayList<>();
        synchronized (this) {
            if (finishing) return;
            boolean progress = true;
            while (progress) {
                progress = false;
                for (Group g : groups) {
                    if (g.decided) continue;
                    if (g.external.stream().allMatch(u -> tasks.get(u) == null || tasks.get(u).state.isFinal())) {
                        decide(g);
                        progress = true;
                    }
                }
            }
            while (!ready.isEmpty()) {
                Group g = ready.peek();
                int need = g.toRun.size();
                if (slotsInUse > 0 && slotsInUse + need > request.parallel()) break;
                ready.poll();
                slotsInUse += need;
                toLaunch.add(g);
            }
            done = slotsInUse == 0 && ready.isEmpty() && tasks.values().stream().allMatch(t -> t.state.isFinal());
            if (done) finishing = true;
        }
        for (Group g : toLaunch) threads.newThread(() -> runGroup(g)).start();
        if (done) complete();
    }

    /** Decides which members of a group run (their {@code when}) and queues it. Under the lock. */
    private void decide(Group g) {
        g.decided = true;
        List<TaskRun> run = new ArrayList<>();
        for (TaskRun t : g.members) {
            String input = t.task.input();
            TaskRun writer = input == null ? null : tasks.get(input);
            if (writer != null && writer.state == TaskState.SKIPPED) {
                finish(t, new Outcome.Skipped("its pipe writer '" + input + "' was skipped"));
                continue;
            }
            String skip = whenSkipReason(t, g);
            if (skip != null) finish(t, new Outcome.Skipped(skip));
            else run.add(t);
        }
        g.toRun = List.copyOf(run);
        if (run.isEmpty()) return;
        for (TaskRun t : run) {
            t.state = TaskState.QUEUED;
            emitTask(t);
        }
        save();
        ready.add(g);
    }

    /** Null when the task is to run, else why it is skipped. */
    private String whenSkipReason(TaskRun t, Group g) {
        String when = t.task.when();
        Object verdict;
        try {
            verdict = when == null ? status(t, g, "success") : Expressions.parse(when).condition(scope(t, g));
        } catch (ExpressionException e) {
            return "its when '" + when + "' is malformed: " + e.getMessage();
        } catch (RuntimeException e) {
            return "its when '" + when + "' could not be evaluated: " + e.getMessage();
        }
        if (Boolean.TRUE.equals(verdict)) return null;
        if (when == null) {
            for (String u : t.task.upstream()) {
                TaskRun up = tasks.get(u);
                if (up != null && up.state != TaskState.SUCCEEDED && !g.members.contains(up)) {
                    return "needed task '" + u + "' " + up.state.label();
                }
            }
            return "an upstream task did not succeed";
        }
        return "when '" + when + "' is " + (verdict == Unknown.VALUE ? "unknown" : "false");
    }

    /** The status functions; upstream tasks of the same pipe group count as succeeding (they start together). */
    private synchronized Object status(TaskRun t, Group g, String function) {
        return switch (function) {
            case "success" -> t.task.upstream().stream().map(tasks::get).allMatch(u -> u == null
                    || u.state == TaskState.SUCCEEDED || (g != null && g.members.contains(u)));
            case "failure" -> graph.transitiveUpstream(t.name()).stream().map(tasks::get).anyMatch(u -> u != null
                    && (u.state == TaskState.FAILED || u.state == TaskState.TIMEDOUT));
            case "cancelled" -> cancelling;
            case "always" -> true;
            default -> Unknown.VALUE;
        };
    }

    private TaskScope scope(TaskRun t, Group g) {
        Set<String> allowed = new LinkedHashSet<>(job.secrets());
        allowed.addAll(t.task.secrets());
        return new TaskScope(t.task, job.env(), request.parameters()::get, request.context(),
                name -> allowed.contains(name) ? request.secrets().get(name) : null,
                (task, key) -> {
                    TaskRun o = tasks.get(task);
                    return o == null ? null : o.outputs.get(key);
                },
                fn -> status(t, g, fn));
    }

    // ---- running ---------------------------------------------------------------------------------------------

    private void runGroup(Group g) {
        try {
            if (g.toRun.size() == 1) runSingle(g.toRun.getFirst(), g);
            else runPipe(g);
        } catch (Throwable e) {
            LOG.error("run {}: engine error in group {}", key(), g.toRun, e);
            synchronized (this) {
                for (TaskRun t : g.toRun) {
                    if (!t.state.isFinal()) finish(t, new Outcome.Failed(null, "engine error: " + e));
                }
            }
        } finally {
            synchronized (this) {
                slotsInUse -= g.toRun.size();
            }
            afterChange();
        }
    }

    private void runSingle(TaskRun t, Group g) throws InterruptedException {
        int max = t.task.retry() + 1;
        Outcome outcome = null;
        for (int attempt = 1; attempt <= max; attempt++) {
            outcome = runAttempt(t, g, attempt, max);
            if (outcome instanceof Outcome.Succeeded || stopping()
                    || !(outcome instanceof Outcome.Failed || outcome instanceof Outcome.TimedOut)) break;
            if (attempt < max) {
                system(t, "attempt " + attempt + " of " + max + " " + outcome.state().label() + " ("
                        + outcome.reason() + "); trying again");
            }
        }
        synchronized (this) {
            finish(t, outcome);
        }
    }

    private void runPipe(Group g) throws InterruptedException {
        Map<String, Attempt> attempts = new LinkedHashMap<>();
        for (TaskRun t : g.toRun) {
            boolean piped = t.task.input() != null;
            attempts.put(t.name(), startAttempt(t, g, 1, 1, piped));
        }
        if (attempts.values().stream().anyMatch(a -> a.outcome != null)) {
            // one member could not start: a pipe with a missing end makes no sense, stop the rest
            for (Attempt a : attempts.values()) {
                if (a.outcome == null) {
                    a.task.killedAs = new Outcome.Failed(null, "another task of its pipe could not start");
                    a.handle.kill();
                }
            }
        }
        for (Attempt a : attempts.values()) {
            if (a.outcome != null) continue;
            List<OutputStream> readers = new ArrayList<>();
            for (String r : graph.readers(a.task.name())) {
                Attempt ra = attempts.get(r);
                if (ra != null && ra.outcome == null) readers.add(ra.handle.stdin());
            }
            pumpStdout(a, readers);
        }
        Map<String, Outcome> outcomes = new HashMap<>();
        for (Attempt a : attempts.values()) {
            outcomes.put(a.task.name(), a.outcome != null ? a.outcome : awaitAttempt(a, true));
        }
        synchronized (this) {
            for (TaskRun t : g.toRun) { // writers come before their readers
                Outcome o = outcomes.get(t.name());
                String input = t.task.input();
                Outcome writer = input == null ? null : outcomes.get(input);
                if (writer != null && !(writer instanceof Outcome.Succeeded)
                        && (o instanceof Outcome.Succeeded || o instanceof Outcome.Failed)) {
                    String why = "pipe writer '" + input + "' " + writer.state().label() + " (" + writer.reason() + ")";
                    system(t, why + ": this reader fails too (pipefail)");
                    o = new Outcome.Failed(o.exitCode(), why);
                    outcomes.put(t.name(), o);
                }
                finish(t, o);
            }
        }
    }

    /** A started attempt, or (outcome set) one that ended before it started. */
    private static final class Attempt {
        final TaskRun task;
        final RunningTask handle;
        final Outcome outcome;
        final LineWriter out;
        final LineWriter err;
        final Thread errPump;
        final ScheduledFuture<?> timeout;
        Thread outPump;

        Attempt(TaskRun task, RunningTask handle, Outcome outcome, LineWriter out, LineWriter err, Thread errPump,
                ScheduledFuture<?> timeout) {
            this.task = task;
            this.handle = handle;
            this.outcome = outcome;
            this.out = out;
            this.err = err;
            this.errPump = errPump;
            this.timeout = timeout;
        }

        static Attempt ended(TaskRun t, Outcome o) {
            return new Attempt(t, null, o, null, null, null, null);
        }
    }

    /**
     * One attempt of a task outside a pipe: its step segments in order, each shell segment one process, each
     * trigger step a call of the {@link JobTrigger}. The first segment that does not succeed ends the attempt.
     * The task's time limit covers the whole attempt; outputs of every segment are kept.
     */
    private Outcome runAttempt(TaskRun t, Group g, int attempt, int max) throws InterruptedException {
        Outcome refused = enterAttempt(t, attempt, max);
        if (refused != null) return refused;
        long limit = t.task.timeoutMillis();
        long deadline = limit > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit) : 0;
        List<StepSegment> segments = StepSegment.of(t.task.steps());
        StepSegment lastShell = segments.stream().filter(s -> s instanceof StepSegment.Shell).reduce((a, b) -> b)
                .orElse(null);
        Map<String, String> outputs = new LinkedHashMap<>();
        t.outputs = Map.of();
        Outcome outcome = new Outcome.Succeeded();
        for (StepSegment segment : segments) {
            synchronized (this) {
                if (stopping()) {
                    outcome = t.killedAs != null ? t.killedAs
                            : jobTimedOut ? new Outcome.TimedOut(reason) : new Outcome.Cancelled(reason);
                    break;
                }
            }
            switch (segment) {
                case StepSegment.Shell shell -> {
                    Attempt a = launchAttempt(t, g, attempt, false, shell.steps(), deadline);
                    if (a.outcome == null) {
                        pumpStdout(a, List.of());
                        outcome = awaitAttempt(a, segment == lastShell);
                    } else {
                        outcome = a.outcome;
                    }
                    outputs.putAll(t.outputs);
                    t.outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
                }
                case StepSegment.Trigger trigger -> outcome = runTrigger(t, g, trigger.step(), deadline);
            }
            if (!(outcome instanceof Outcome.Succeeded)) break;
        }
        if (outcome instanceof Outcome.Succeeded && lastShell == null && !t.task.artifacts().isEmpty()) {
            system(t, "no sh step ran, so no artifacts are collected");
        }
        return outcome;
    }

    /** Marks the task running for this attempt; returns the outcome instead when the run is stopping. */
    private Outcome enterAttempt(TaskRun t, int attempt, int max) {
        synchronized (this) {
            if (stopping()) return t.outcome != null ? t.outcome : new Outcome.Cancelled(reason);
            openLog(t);
            t.attempts = attempt;
            t.state = TaskState.RUNNING;
            t.killedAs = null;
            if (t.startedAt == null) t.startedAt = clock.instant();
            emitTask(t);
            save();
        }
        if (max > 1) system(t, "attempt " + attempt + " of " + max);
        return null;
    }

    /** A pipe member's attempt: all its steps in one process (trigger steps are refused by validation). */
    private Attempt startAttempt(TaskRun t, Group g, int attempt, int max, boolean piped) {
        Outcome refused = enterAttempt(t, attempt, max);
        if (refused != null) return Attempt.ended(t, refused);
        if (t.task.steps().stream().anyMatch(s -> s instanceof Step.Trigger)) {
            system(t, "a trigger step cannot run in a task joined by input");
            return Attempt.ended(t, new Outcome.Failed(null, "trigger step in a pipe"));
        }
        List<Step.Sh> steps = t.task.steps().stream().map(s -> (Step.Sh) s).toList();
        long limit = t.task.timeoutMillis();
        return launchAttempt(t, g, attempt, piped, steps, limit > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit) : 0);
    }

    /** Starts one process running {@code steps}; {@code deadline} ({@link System#nanoTime()}, 0 = none) bounds it. */
    private Attempt launchAttempt(TaskRun t, Group g, int attempt, boolean piped, List<Step.Sh> steps, long deadline) {
        TaskLaunch launch;
        try {
            launch = prepare(t, g, attempt, piped, steps);
        } catch (ExpressionException | RuntimeException e) {
            system(t, "cannot render the task's scripts or env: " + e.getMessage());
            return Attempt.ended(t, new Outcome.Failed(null, "template error: " + e.getMessage()));
        }
        RunningTask handle;
        try {
            handle = executor.start(launch);
        } catch (IOException | RuntimeException e) {
            system(t, "cannot start: " + e.getMessage());
            return Attempt.ended(t, new Outcome.Failed(null, "cannot start: " + e.getMessage()));
        }
        boolean killNow;
        synchronized (this) {
            t.current = handle;
            killNow = stopping();
            if (killNow) t.killedAs = jobTimedOut ? new Outcome.TimedOut(reason) : new Outcome.Cancelled(reason);
        }
        if (killNow) handle.kill();
        ScheduledFuture<?> timeout = null;
        long limit = t.task.timeoutMillis();
        if (deadline != 0) {
            timeout = timer.schedule(() -> {
                t.killedAs = new Outcome.TimedOut("attempt timed out after " + human(limit));
                system(t, "timed out after " + human(limit) + ": killing its process tree");
                threads.newThread(handle::kill).start();
            }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        LineWriter out = new LineWriter(t.log, LogStream.OUT, mask, clock);
        LineWriter err = new LineWriter(t.log, LogStream.ERR, mask, clock);
        Thread errPump = PUMPS.newThread(new StreamPump(handle.stderr(), err, List.of(), () -> { }, e -> { }));
        errPump.start();
        return new Attempt(t, handle, null, out, err, errPump, timeout);
    }

    private void pumpStdout(Attempt a, List<OutputStream> readers) {
        TaskRun t = a.task;
        Thread pump = PUMPS.newThread(new StreamPump(a.handle.stdout(), a.out, readers, () -> {
            t.stdoutClosedByReaders = true;
            system(t, "every reader of this pipe exited; closing stdout (the task gets SIGPIPE, like in a shell)");
        }, e -> system(t, "log error: " + e.getMessage())));
        a.outPump = pump;
        pump.start();
    }

    /** Waits for the attempt's process and streams, then works out its outcome, outputs and artifacts. */
    private Outcome awaitAttempt(Attempt a, boolean collectArtifacts) throws InterruptedException {
        TaskRun t = a.task;
        int exit = a.handle.waitFor();
        if (a.timeout != null) a.timeout.cancel(false);
        // streams may still be held open by a background child of the task: give them a moment, then kill the group
        if (!joinAll(a, STREAM_GRACE)) {
            a.handle.kill();
            // a pipe writer's stdout pump may still be feeding a slow reader: that ends when the reader does
            boolean writer = !graph.readers(t.name()).isEmpty();
            joinAll(a, writer ? Duration.ofDays(365) : Duration.ofSeconds(5));
        }
        synchronized (this) {
            t.current = null;
        }
        Outcome outcome;
        if (t.killedAs != null) {
            outcome = t.killedAs;
        } else if (exit == 0) {
            outcome = new Outcome.Succeeded();
        } else if (exit == 141 && t.stdoutClosedByReaders) {
            system(t, "exit 141 (SIGPIPE) after its readers exited counts as success, as in a shell pipe");
            outcome = new Outcome.Succeeded();
        } else {
            String why = a.handle.failureReason();
            if (why != null) system(t, why);
            outcome = new Outcome.Failed(exit, why != null ? why : "exit code " + exit);
        }
        try {
            String text = a.handle.outputText();
            Map<String, String> outputs = OutputFile.parse(text);
            t.outputs = outputs;
        } catch (IOException e) {
            system(t, "cannot read $STOKER_OUTPUT: " + e.getMessage());
        }
        if (collectArtifacts && outcome instanceof Outcome.Succeeded && !t.task.artifacts().isEmpty()) {
            outcome = collectArtifacts(a, outcome);
        }
        a.handle.release();
        return outcome;
    }

    private Outcome collectArtifacts(Attempt a, Outcome outcome) {
        TaskRun t = a.task;
        try {
            Path zip = artifactStore.newStagingFile(key(), t.name());
            int files = a.handle.collectArtifacts(t.task.artifacts(), zip);
            if (files == 0) {
                java.nio.file.Files.deleteIfExists(zip);
                system(t, "no files matched artifacts " + t.task.artifacts());
                return outcome;
            }
            Path staged = artifactStore.stage(key(), t.name(), zip);
            synchronized (this) {
                t.artifacts = staged.toString();
            }
            system(t, "artifacts: " + files + " file(s) staged in " + staged);
            return outcome;
        } catch (IOException | RuntimeException e) {
            system(t, "cannot collect artifacts: " + e.getMessage());
            return new Outcome.Failed(0, "artifacts could not be collected: " + e.getMessage());
        }
    }

    private static boolean joinAll(Attempt a, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread p : List.of(a.errPump, a.outPump)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !p.join(Duration.ofNanos(left))) return false;
        }
        return true;
    }

    private TaskLaunch prepare(TaskRun t, Group g, int attempt, boolean piped, List<Step.Sh> steps)
            throws ExpressionException {
        TaskScope scope = scope(t, g);
        List<String> scripts = new ArrayList<>();
        for (Step.Sh sh : steps) scripts.add(scope.render(sh.script()));
        Map<String, String> env = new LinkedHashMap<>(request.parameters().asEnv());
        for (var e : job.env().entrySet()) env.put(e.getKey(), scope.withoutEnv().render(e.getValue()));
        for (var e : t.task.env().entrySet()) env.put(e.getKey(), scope.withoutEnv().render(e.getValue()));
        Set<String> declared = new LinkedHashSet<>(job.secrets());
        declared.addAll(t.task.secrets());
        Set<String> given = new LinkedHashSet<>();
        for (String s : declared) {
            String value = request.secrets().get(s);
            if (value != null) {
                env.put(s, value);
                given.add(s);
            } else system(t, "secret '" + s + "' is declared but was not given; it is left unset");
        }
        env.putAll(request.context().environment());
        env.put("STOKER_TASK", t.name());
        env.put("STOKER_RUN", key());
        env.put("STOKER_JOB", job.name());
        env.put("STOKER_WORKSPACE", request.workspace().toString());
        env.put("STOKER_ATTEMPT", Integer.toString(attempt));
        String agent = t.task.agent() != null ? t.task.agent() : job.agent();
        return new TaskLaunch(key(), t.name(), attempt, scripts, request.workspace(), env, piped, agent, given);
    }

    // ---- trigger steps ---------------------------------------------------------------------------------------

    /** Renders the step's parameters, starts the other job through the port and, when asked, waits for its end. */
    private Outcome runTrigger(TaskRun t, Group g, Step.Trigger step, long deadline) throws InterruptedException {
        String job = step.job();
        Map<String, String> parameters = new LinkedHashMap<>();
        try {
            TaskScope scope = scope(t, g);
            for (var e : step.parameters().entrySet()) parameters.put(e.getKey(), scope.render(e.getValue()));
        } catch (ExpressionException | RuntimeException e) {
            system(t, "cannot render the parameters of trigger " + job + ": " + e.getMessage());
            return new Outcome.Failed(null, "template error: " + e.getMessage());
        }
        // a triggered run stores and shows its parameters, and its logs mask only its own secrets: a secret value
        // passed on as a parameter would leak there, so the trigger is refused instead
        for (var e : parameters.entrySet()) {
            if (!mask.apply(e.getValue()).equals(e.getValue())) {
                String why = "parameter '" + e.getKey() + "' of trigger " + job + " would carry a secret value into"
                        + " that run, where parameters are stored and shown; let " + job + " declare the secret itself";
                system(t, why);
                return new Outcome.Failed(null, why);
            }
        }
        system(t, "triggering " + job + (parameters.isEmpty() ? "" : " with " + String.join(" ",
                parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())));
        CompletableFuture<TriggeredRun> started;
        try {
            started = jobs.trigger(new TriggerRequest(key(), t.name(), job, parameters, step.waitForRun()));
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        TriggeredRun run;
        try {
            run = waitFor(t, started, deadline);
        } catch (CancellationException e) {
            return stoppedWaiting(t, "stopped waiting for " + job + " to start");
        } catch (ExecutionException e) {
            String why = e.getCause() == null || e.getCause().getMessage() == null ? String.valueOf(e.getCause())
                    : e.getCause().getMessage();
            system(t, "cannot trigger " + job + ": " + why);
            return new Outcome.Failed(null, "cannot trigger '" + job + "': " + why);
        }
        system(t, "triggered " + job + " run " + run.key());
        if (!step.waitForRun()) return new Outcome.Succeeded();
        RunState end;
        try {
            end = waitFor(t, run.end(), deadline);
        } catch (CancellationException e) {
            run.end().cancel(true);
            return stoppedWaiting(t, "stopped waiting for " + job + " run " + run.key());
        } catch (ExecutionException e) {
            system(t, "lost track of " + job + " run " + run.key() + ": " + e.getCause());
            return new Outcome.Failed(null, "lost track of triggered run " + run.key() + ": " + e.getCause());
        }
        system(t, job + " run " + run.key() + " " + end.label());
        return end == RunState.SUCCEEDED ? new Outcome.Succeeded()
                : new Outcome.Failed(null, "triggered run " + run.key() + " of '" + job + "' " + end.label());
    }

    /**
     * Waits for {@code future} while a cancel, the job timeout ({@link #stop}) or the task's {@code deadline} may
     * cancel it; those set {@link TaskRun#killedAs} first, so the caller reports the right outcome.
     */
    private <T> T waitFor(TaskRun t, CompletableFuture<T> future, long deadline)
            throws InterruptedException, ExecutionException {
        boolean stopNow;
        synchronized (this) {
            t.waiting = future;
            stopNow = stopping();
            if (stopNow) t.killedAs = jobTimedOut ? new Outcome.TimedOut(reason) : new Outcome.Cancelled(reason);
        }
        if (stopNow) future.cancel(true);
        ScheduledFuture<?> timeout = null;
        if (deadline != 0) {
            long limit = t.task.timeoutMillis();
            timeout = timer.schedule(() -> {
                t.killedAs = new Outcome.TimedOut("attempt timed out after " + human(limit));
                system(t, "timed out after " + human(limit) + " while waiting");
                future.cancel(true);
            }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        try {
            return future.get();
        } finally {
            if (timeout != null) timeout.cancel(false);
            synchronized (this) {
                t.waiting = null;
            }
        }
    }

    private Outcome stoppedWaiting(TaskRun t, String what) {
        Outcome as = t.killedAs != null ? t.killedAs : new Outcome.Cancelled("the wait was cancelled");
        system(t, what + " (" + as.state().label() + ")");
        return as;
    }

    // ---- recording -------------------------------------------------------------------------------------------

    /** Seals a task's outcome. Under the lock. */
    private void finish(TaskRun t, Outcome outcome) {
        if (t.state.isFinal()) return;
        openLog(t);
        t.outcome = outcome;
        t.state = outcome.state();
        t.endedAt = clock.instant();
        String how = outcome.state().label() + (outcome.reason().isEmpty() ? "" : ": " + outcome.reason());
        if (t.startedAt != null) how += " after " + human(Duration.between(t.startedAt, t.endedAt).toMillis());
        system(t, how);
        if (t.log != null) t.log.close();
        emitTask(t);
        save();
    }

    private void openLog(TaskRun t) {
        if (t.log != null) return;
        try {
            t.log = logs.open(key(), t.name());
        } catch (IOException e) {
            LOG.warn("run {}: cannot open the log of {}: {}", key(), t.name(), e.toString());
        }
    }

    private void system(TaskRun t, String text) {
        TaskLog log = t.log;
        if (log != null) log.line(LogStream.SYSTEM, clock.millis(), mask.apply(text));
    }

    private void complete() {
        RunState end;
        synchronized (this) {
            if (cancelling) end = RunState.CANCELLED;
            else if (jobTimedOut) end = RunState.TIMEDOUT;
            else if (tasks.values().stream().anyMatch(t -> t.state == TaskState.FAILED || t.state == TaskState.TIMEDOUT)) {
                end = RunState.FAILED;
                reason = "failed: " + String.join(", ", tasks.values().stream()
                        .filter(t -> t.state == TaskState.FAILED || t.state == TaskState.TIMEDOUT).map(TaskRun::name).toList());
            } else end = RunState.SUCCEEDED;
        }
        try {
            Map<String, Path> kept = end == RunState.SUCCEEDED ? artifactStore.publish(key())
                    : artifactStore.keepUnpublished(key(), "run " + end.label() + (reason.isEmpty() ? "" : ": " + reason));
            synchronized (this) {
                for (TaskRun t : tasks.values()) {
                    Path p = kept.get(SafeFileName.of(t.name()));
                    if (t.artifacts != null && p != null) t.artifacts = p.toString();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {}: cannot publish artifacts: {}", key(), e.toString());
        }
        RunRecord last;
        synchronized (this) {
            if (jobTimer != null) jobTimer.cancel(false);
            state = end;
            endedAt = clock.instant();
            emitRun();
            save();
            last = record();
        }
        try {
            awaitSaved();
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

    /**
     * Persists the current state. Writes are coalesced: at most one every {@link #SAVE_INTERVAL} on a background
     * thread, each of the latest state, so a burst of changes in a big job costs a few writes and the scheduler
     * never waits for the disk. The final state is written before the run's result completes. Under the lock.
     */
    private void save() {
        dirty = true;
        if (flushing) return;
        flushing = true;
        long wait = lastSaveNanos + SAVE_INTERVAL.toNanos() - System.nanoTime();
        if (wait > 0 && !finishing) {
            try {
                timer.schedule(() -> threads.newThread(this::flushSaves).start(), wait, TimeUnit.NANOSECONDS);
                return;
            } catch (java.util.concurrent.RejectedExecutionException engineClosed) {
                // the engine is closing: write now rather than never
            }
        }
        threads.newThread(this::flushSaves).start();
    }

    private void flushSaves() {
        RunRecord snapshot;
        synchronized (this) {
            if (!dirty) {
                flushing = false;
                notifyAll();
                return;
            }
            dirty = false;
            snapshot = record();
        }
        try {
            store.save(snapshot);
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {}: cannot save its state: {}", key(), e.toString());
        }
        synchronized (this) {
            lastSaveNanos = System.nanoTime();
            flushing = false;
            if (dirty) save();
            else notifyAll();
        }
    }

    /** Waits for the last state write; bounded, so a broken store cannot keep a run from ending. */
    private synchronized void awaitSaved() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (flushing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("run {}: its final state was not saved within 30 s", key());
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private void emitTask(TaskRun t) {
        try {
            listener.taskChanged(new TaskEvent(key(), t.name(), t.state, t.attempts, t.outcome, clock.instant()));
        } catch (RuntimeException e) {
            LOG.warn("run {}: listener failed: {}", key(), e.toString());
        }
    }

    private void emitRun() {
        try {
            listener.runChanged(new RunEvent(key(), state, clock.instant()));
        } catch (RuntimeException e) {
            LOG.warn("run {}: listener failed: {}", key(), e.toString());
        }
    }

    static String human(long millis) {
        if (millis < 1000) return millis + "ms";
        if (millis < 60_000) return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        return (millis / 60_000) + "m" + (millis % 60_000) / 1000 + "s";
    }
}
