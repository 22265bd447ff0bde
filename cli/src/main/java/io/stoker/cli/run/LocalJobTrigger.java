package io.stoker.cli.run;

import io.stoker.engine.log.FileLogStore;
import io.stoker.engine.params.ParameterResolution;
import io.stoker.engine.params.ParameterResolver;
import io.stoker.engine.run.RunContext;
import io.stoker.engine.run.RunEngine;
import io.stoker.engine.run.RunHandle;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.RunRequest;
import io.stoker.engine.run.RunState;
import io.stoker.engine.trigger.JobTrigger;
import io.stoker.engine.trigger.TriggerRequest;
import io.stoker.engine.trigger.TriggeredRun;
import io.stoker.model.Job;
import io.stoker.model.Jobfile;
import io.stoker.model.Task;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Trigger steps of a local run: a job of the same Jobfile runs as a nested run on the same engine and data
 * directory, with its own key ({@code JOB-N}), its own fresh copy of the Jobfile's directory and its progress on
 * the console prefixed with its key. Other jobs cannot be found locally, and a job already running up the chain
 * of triggers is refused (a cycle would never end).
 */
public final class LocalJobTrigger implements JobTrigger {
    private final Jobfile jobfile;
    private final Path sourceDir;
    private final LocalRunLayout layout;
    private final FileLogStore logs;
    private final Map<String, String> secrets;
    private final RunContext parent;
    private final int parallel;
    private final PrintWriter console;
    private final boolean showOutput;
    private volatile RunEngine engine;
    /** Run key → the job it runs and the run that triggered it, to find cycles. */
    private final Map<String, String> jobOf = new ConcurrentHashMap<>();
    private final Map<String, String> triggeredBy = new ConcurrentHashMap<>();
    private final List<RunHandle> started = new CopyOnWriteArrayList<>();

    public LocalJobTrigger(Jobfile jobfile, Path sourceDir, LocalRunLayout layout, FileLogStore logs,
                           Map<String, String> secrets, RunContext parent, int parallel, PrintWriter console,
                           boolean showOutput) {
        this.jobfile = jobfile;
        this.sourceDir = sourceDir;
        this.layout = layout;
        this.logs = logs;
        this.secrets = Map.copyOf(secrets);
        this.parent = parent;
        this.parallel = parallel;
        this.console = console;
        this.showOutput = showOutput;
        jobOf.put(parent.key(), parent.job());
    }

    /** The engine nested runs start on (it is built with this port, hence set afterwards). */
    public void bind(RunEngine engine) {
        this.engine = engine;
    }

    @Override
    public CompletableFuture<TriggeredRun> trigger(TriggerRequest request) {
        try {
            return CompletableFuture.completedFuture(start(request));
        } catch (RuntimeException | IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private TriggeredRun start(TriggerRequest request) throws IOException {
        Job job = jobfile.job(request.job()).orElseThrow(() -> new IllegalArgumentException("job '" + request.job()
                + "' is not in this Jobfile; local runs can only trigger jobs of the same Jobfile"));
        List<String> chain = chain(request.runKey());
        if (chain.contains(job.name())) {
            throw new IllegalArgumentException("job '" + job.name() + "' is already running up this chain of triggers ("
                    + String.join(" → ", chain.reversed()) + " → " + job.name() + "); a cycle would never end");
        }
        ParameterResolution resolution = ParameterResolver.resolve(job, request.parameters());
        if (!resolution.ok()) {
            throw new IllegalArgumentException("invalid parameters for job '" + job.name() + "': "
                    + String.join("; ", resolution.errors()));
        }
        Set<String> missing = new TreeSet<>(job.secrets());
        job.tasks().forEach(t -> missing.addAll(t.secrets()));
        missing.removeAll(secrets.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("job '" + job.name() + "' needs the secrets " + missing
                    + ", which the --secrets-file does not give");
        }
        LocalRunLayout.Claim claim = layout.claimNextRun(job.name());
        Path workspace = layout.workspace(claim.key());
        WorkspaceCopy.copy(sourceDir, workspace, Set.of(layout.dataDir()));
        RunContext context = new RunContext(claim.key(), claim.number(), parent.branch(), parent.commit(), "upstream",
                job.name(), parent.project());
        jobOf.put(claim.key(), job.name());
        triggeredBy.put(claim.key(), request.runKey());

        PrintWriter prefixed = new PrintWriter(new PrefixedLines(console, claim.key() + " ▸ "), true);
        ConsoleProgress progress = new ConsoleProgress(prefixed, logs, claim.key(),
                job.tasks().stream().map(Task::name).toList(), showOutput, false);
        prefixed.println("run " + claim.key() + " of job " + job.name() + ", triggered by " + request.runKey() + " "
                + request.task() + " — workspace " + workspace);
        RunHandle handle = engine.start(new RunRequest(job, resolution.parameters(), context, workspace, secrets,
                parallel), progress);
        started.add(handle);
        CompletableFuture<RunState> end = new CompletableFuture<>();
        handle.result().whenComplete((record, error) -> {
            progress.close();
            if (record != null) prefixed.println(RunSummary.line(record, layout.runsRoot().resolve(claim.key())));
            prefixed.flush();
            if (error != null) end.completeExceptionally(error);
            else end.complete(record.state());
        });
        // the triggering step stopped waiting (cancel, time limit): this run is not wanted any more
        end.whenComplete((state, error) -> {
            if (end.isCancelled()) handle.cancel();
        });
        return new TriggeredRun(claim.key(), end);
    }

    /** The jobs from {@code runKey} up to the run the user started. */
    private List<String> chain(String runKey) {
        List<String> jobs = new ArrayList<>();
        for (String key = runKey; key != null && jobs.size() < 1000; key = triggeredBy.get(key)) {
            String job = jobOf.get(key);
            if (job != null) jobs.add(job);
        }
        return jobs;
    }

    /**
     * Waits for the runs started without waiting (bounded by {@code timeoutSeconds} each), so a local run does not
     * exit and close the engine under them; returns their final records.
     */
    public List<RunRecord> awaitStarted(long timeoutSeconds) throws InterruptedException {
        List<RunRecord> records = new ArrayList<>();
        for (RunHandle h : started) {
            try {
                records.add(h.result().get(timeoutSeconds, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.cancel();
            }
        }
        return records;
    }
}
