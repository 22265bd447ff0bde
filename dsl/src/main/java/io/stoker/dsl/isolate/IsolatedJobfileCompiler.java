package io.stoker.dsl.isolate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stoker.dsl.CompileResult;
import io.stoker.dsl.Compiler;
import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Layer 2 of the Jobfile sandbox: each compile runs in a fresh, short-lived JVM ({@link JobfileWorker}) with a small
 * heap, an empty environment, a wall-clock kill and, where Linux namespaces work, no network. A few JVMs are started
 * ahead and wait for their request, so a compile does not pay JVM start-up. The worker's JSON answer is read with
 * strict limits and its model is validated again before it is trusted. A worker started for a waiting compile starts
 * from the class-data archive (when there is one); a pooled one, which nobody waits for, without it, to stay small.
 * Thread-safe; {@link #close()} stops the pool.
 */
public final class IsolatedJobfileCompiler implements Compiler, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IsolatedJobfileCompiler.class);
    static final int MAX_DIAGNOSTICS = 1000;
    static final int MAX_MESSAGE = 2000;

    private final WorkerSettings settings;
    private final CompileSlots slots;
    private final BlockingQueue<WorkerProcess> idle;
    private final ObjectMapper mapper = WireFormat.mapper();
    private final ModelCheck modelCheck = new ModelCheck();
    private volatile boolean closed;
    private volatile long lastUsedNanos = System.nanoTime();
    /**
     * The one thread that starts and stops the worker JVMs. It lives as long as the compiler: bubblewrap's
     * {@code --die-with-parent} kills a sandbox when the thread that started it ends (the kernel's parent-death signal
     * follows the thread, not the process), so a worker started on a short-lived thread died with it.
     */
    private final java.util.concurrent.ScheduledExecutorService workers;
    private final java.util.concurrent.atomic.AtomicBoolean warming = new java.util.concurrent.atomic.AtomicBoolean();

    public IsolatedJobfileCompiler() {
        this(WorkerSettings.defaults());
    }

    public IsolatedJobfileCompiler(WorkerSettings settings) {
        this(settings, defaultSlots(settings), true);
    }

    /** With {@code slots} bounding the compiles (worker JVMs) at once, warm now. */
    public IsolatedJobfileCompiler(WorkerSettings settings, CompileSlots slots) {
        this(settings, slots, true);
    }

    private static CompileSlots defaultSlots(WorkerSettings settings) {
        return CompileSlots.of(CompileSlots.DEFAULT_CONCURRENT, settings.timeout());
    }

    /**
     * A compiler whose warm worker (and, on a first start, its class-data archive) is started by {@link #warmUp()}
     * or by the first compile, not now: a server starts it once it is ready, so the worker JVM's warm-up (~2 s of
     * CPU) does not compete with the server's own start.
     */
    public static IsolatedJobfileCompiler warmedLater(WorkerSettings settings) {
        return warmedLater(settings, defaultSlots(settings));
    }

    /** As above, with {@code slots} bounding the compiles (worker JVMs) at once. */
    public static IsolatedJobfileCompiler warmedLater(WorkerSettings settings, CompileSlots slots) {
        return new IsolatedJobfileCompiler(settings, slots, false);
    }

    private IsolatedJobfileCompiler(WorkerSettings settings, CompileSlots slots, boolean warmNow) {
        this.settings = settings;
        this.slots = slots;
        this.idle = new ArrayBlockingQueue<>(Math.max(1, settings.poolSize()));
        this.workers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("jobfile-workers").factory());
        long every = Math.max(200, settings.idleTimeout().toMillis() / 4);
        workers.scheduleWithFixedDelay(this::reapIdle, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (warmNow) warmUp();
    }

    /**
     * Starts the pool's warm worker and, when the class-data archive is missing, its making; returns once the
     * worker's process started (it warms up on its own). A compiler made with the public constructor did so then.
     */
    public void warmUp() {
        if (warming.getAndSet(true)) return;
        makeClassDataIfMissing();
        try {
            workers.submit(this::refill).get(); // the first warm worker is on its way
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot start the Jobfile worker pool", e.getCause());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile: nothing to warm
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void makeClassDataIfMissing() {
        if (settings.classData() != null && !java.nio.file.Files.isRegularFile(settings.classData())) {
            // the archive is made beside the first warm worker; workers started meanwhile go without it
            Thread.ofPlatform().daemon().name("jobfile-worker-class-data").start(() -> ClassDataArchive.ensure(settings));
        }
    }

    public WorkerSettings settings() {
        return settings;
    }

    /**
     * Compiles in a worker JVM once one of the {@link CompileSlots} is free: the worker's time limit starts then.
     * {@link CompilerBusy} when as many compiles as may wait are waiting already.
     */
    @Override
    public CompileResult compile(String file, String text) {
        if (closed) throw new IllegalStateException("the isolated compiler is closed");
        try (CompileSlots.Slot slot = slots.take()) {
            return compileInWorker(file, text);
        }
    }

    /** As {@link #compile}, waiting for a slot however many compiles wait (never {@link CompilerBusy}). */
    @Override
    public CompileResult compileInTurn(String file, String text) {
        if (closed) throw new IllegalStateException("the isolated compiler is closed");
        try (CompileSlots.Slot slot = slots.takeInTurn()) {
            return compileInWorker(file, text);
        }
    }

    public CompileSlots slots() {
        return slots;
    }

    private CompileResult compileInWorker(String file, String text) {
        if (closed) throw new IllegalStateException("the isolated compiler is closed");
        lastUsedNanos = System.nanoTime();
        WorkerProcess worker;
        try {
            worker = take();
        } catch (IOException e) {
            return rejected(file, "cannot start the Jobfile worker JVM: " + e.getMessage());
        }
        if (!warming.getAndSet(true)) makeClassDataIfMissing(); // a compile before warmUp() starts the pool
        refillLater();
        byte[] request;
        try {
            request = mapper.writeValueAsBytes(new WireFormat.Request(file, text));
        } catch (IOException e) {
            worker.kill();
            return rejected(file, "cannot encode the Jobfile request: " + e.getMessage());
        }
        long seconds = Math.max(1, settings.timeout().toSeconds());
        return switch (worker.exchange(request, settings.timeout().toMillis())) {
            case WorkerProcess.Outcome.TimedOut t -> rejected(file, "Jobfile evaluation took longer than " + seconds
                    + " s of wall-clock time (its CPU budget of " + settings.evaluationBudget().toMillis() / 1000.0
                    + " s had not run out: is the machine very busy?)");
            case WorkerProcess.Outcome.TooMuchOutput t -> rejected(file, "Jobfile evaluation produced more than "
                    + settings.maxOutputBytes() + " bytes of output");
            case WorkerProcess.Outcome.Died d when d.exitCode() == 3 || d.stderrTail().contains("OutOfMemoryError") ->
                    rejected(file, "Jobfile evaluation used too much memory");
            case WorkerProcess.Outcome.Died d when settings.limits().enforced()
                    && ProcessLimits.CPU_EXIT_CODES.contains(d.exitCode()) ->
                    rejected(file, "Jobfile evaluation used more than " + settings.limits().cpuSeconds() + " s of CPU time");
            case WorkerProcess.Outcome.Died d -> died(file, d);
            case WorkerProcess.Outcome.Answered a -> trust(file, a.stdout());
        };
    }

    /** Reads the worker's answer; a model is accepted only if validating it again rebuilds it exactly. */
    private CompileResult trust(String file, byte[] answer) {
        WireFormat.Response response;
        try {
            response = mapper.readValue(answer, WireFormat.Response.class);
        } catch (IOException | RuntimeException e) {
            return rejected(file, "the Jobfile worker returned an unreadable answer");
        }
        if (response.diagnostics() == null || response.diagnostics().size() > MAX_DIAGNOSTICS) {
            return rejected(file, "the Jobfile worker returned an unreadable answer");
        }
        var diagnostics = new ArrayList<Diagnostic>();
        for (Diagnostic d : response.diagnostics()) {
            if (d == null || d.message() == null || d.severity() == null) continue;
            String message = d.message().length() > MAX_MESSAGE ? d.message().substring(0, MAX_MESSAGE) + "…" : d.message();
            diagnostics.add(new Diagnostic(file, Math.max(0, d.line()), Math.max(0, d.col()), message, d.severity()));
        }
        if (!response.compiled()) {
            if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
                diagnostics.add(Diagnostic.error(file, Pos.NONE, "the Jobfile was rejected without a reason"));
            }
            return new CompileResult.Rejected(diagnostics);
        }
        if (response.jobfile() == null) return rejected(file, "the Jobfile worker returned no model");
        Optional<String> problem = modelCheck.problem(response.jobfile(), file);
        if (problem.isPresent()) {
            return rejected(file, "the Jobfile worker returned a model that is not valid: " + problem.get());
        }
        // warnings only: an answer that compiled cannot carry errors
        var warnings = diagnostics.stream().filter(d -> !d.isError()).toList();
        return new CompileResult.Compiled(new io.stoker.model.Jobfile(file, response.jobfile().jobs(),
                response.jobfile().targets()), warnings);
    }

    /** A worker that died unexpectedly: its stderr goes to the log, its first line into the answer. */
    private CompileResult died(String file, WorkerProcess.Outcome.Died d) {
        LOG.warn("a Jobfile worker JVM (sandbox {}) exited with code {}; its stderr:\n{}", settings.sandbox().kind(),
                d.exitCode(), d.stderrTail().strip());
        String why = firstLine(d.stderrTail());
        return rejected(file, "Jobfile evaluation failed (worker exit code " + d.exitCode() + ")"
                + (why.isEmpty() ? "" : ": " + why));
    }

    /** The first line of a worker's stderr that says something, cut to 300 characters. */
    static String firstLine(String stderr) {
        for (String line : stderr.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("Picked up ")) continue; // JAVA_TOOL_OPTIONS notices say nothing
            return l.length() > 300 ? l.substring(0, 300) + "…" : l;
        }
        return "";
    }

    private WorkerProcess take() throws IOException {
        // bounded: the queue holds at most poolSize workers, each polled once
        for (WorkerProcess w = idle.poll(); w != null; w = idle.poll()) {
            if (w.isAlive()) return w;
            w.kill();
        }
        // started on the workers' thread (see there), which the caller waits for: a fork is a few milliseconds
        try {
            return workers.submit(() -> WorkerProcess.start(settings)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IOException("the isolated compiler is closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a Jobfile worker");
        }
    }

    private void refillLater() {
        try {
            workers.execute(this::refill);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile: nothing to refill
        }
    }

    private synchronized void refill() {
        while (!closed && idle.size() < settings.poolSize()) {
            try {
                // without the class-data archive: nobody waits for a pooled worker to start, and the archive's
                // mapped classes would add ~22 MiB to what an idle server keeps resident
                WorkerProcess worker = WorkerProcess.start(settings.withClassData(null));
                if (closed || !idle.offer(worker)) {
                    worker.kill();
                    return;
                }
            } catch (IOException e) {
                return; // compile() starts one on demand and reports the error then
            }
        }
    }

    /**
     * Stops warm workers nobody used for {@link WorkerSettings#idleTimeout()}: an idle server keeps no worker JVM, and
     * the next compile starts one (from the class-data archive, when there is one) and warms another for the next.
     */
    private synchronized void reapIdle() {
        if (System.nanoTime() - lastUsedNanos < settings.idleTimeout().toNanos()) return;
        List<WorkerProcess> waiting = new ArrayList<>();
        idle.drainTo(waiting);
        if (!waiting.isEmpty()) LOG.debug("stopping {} idle Jobfile worker JVM(s)", waiting.size());
        waiting.forEach(WorkerProcess::kill);
    }

    /** Stops the waiting JVMs. */
    @Override
    public void close() {
        closed = true;
        // before the workers' thread ends: its end SIGKILLs every bwrap it started (--die-with-parent), and a bwrap
        // killed before it was seen to clone its sandbox orphans that sandbox (see WorkerProcess#kill)
        synchronized (this) { // after a refill under way: it sees closed and kills what it started
            List<WorkerProcess> waiting = new ArrayList<>();
            idle.drainTo(waiting);
            waiting.forEach(WorkerProcess::kill);
        }
        workers.shutdown();
        try {
            workers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }

    /** PIDs of the JVMs waiting in the pool, for specs and diagnostics. */
    List<Long> idlePids() {
        return idle.stream().map(WorkerProcess::pid).toList();
    }

    private static CompileResult rejected(String file, String message) {
        return new CompileResult.Rejected(List.of(Diagnostic.error(file, Pos.NONE, message)));
    }
}
