package io.stoker.cli.run;

import io.stoker.engine.log.FileLogStore;
import io.stoker.engine.run.RunContext;
import io.stoker.engine.run.RunHandle;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.RunState;
import io.stoker.engine.params.ResolvedParameters;
import io.stoker.engine.start.RunStart;
import io.stoker.engine.start.RunStarter;
import io.stoker.engine.start.SecretSource;
import io.stoker.engine.trigger.JobTrigger;
import io.stoker.engine.trigger.TriggerChain;
import io.stoker.engine.trigger.TriggerRequest;
import io.stoker.engine.trigger.TriggeredRun;
import io.stoker.model.Job;
import io.stoker.model.Jobfile;
import io.stoker.model.Task;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final SecretSource secrets;
    private final RunContext parent;
    private final PrintWriter console;
    private final boolean showOutput;
    private volatile RunStarter starter;
    /** Run key → the job it runs and the run that triggered it, to find cycles. */
    private final Map<String, String> jobOf = new ConcurrentHashMap<>();
    private final Map<String, String> triggeredBy = new ConcurrentHashMap<>();
    private final List<RunHandle> started = new CopyOnWriteArrayList<>();
    /** Run key → its progress on the console, to show a nested run only after the step that started it. */
    private final Map<String, ConsoleProgress> progressOf = new ConcurrentHashMap<>();

    public LocalJobTrigger(Jobfile jobfile, Path sourceDir, LocalRunLayout layout, FileLogStore logs,
                           SecretSource secrets, RunContext parent, PrintWriter console, boolean showOutput) {
        this.jobfile = jobfile;
        this.sourceDir = sourceDir;
        this.layout = layout;
        this.logs = logs;
        this.secrets = secrets;
        this.parent = parent;
        this.console = console;
        this.showOutput = showOutput;
        jobOf.put(parent.key(), parent.job());
    }

    /**
     * What nested runs start with (its engine is built with this port, hence set afterwards), and the parent run's
     * progress on the console.
     */
    public void bind(RunStarter starter, ConsoleProgress parentProgress) {
        this.starter = starter;
        progressOf.put(parent.key(), parentProgress);
    }

    @Override
    public CompletableFuture<TriggeredRun> trigger(TriggerRequest request) {
        try {
            return CompletableFuture.completedFuture(start(request));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private TriggeredRun start(TriggerRequest request) throws Exception {
        Job job = jobfile.job(request.job()).orElseThrow(() -> new IllegalArgumentException("job '" + request.job()
                + "' is not in this Jobfile; local runs can only trigger jobs of the same Jobfile"));
        TriggerChain chain = TriggerChain.walk(request.runKey(),
                run -> jobOf.containsKey(run) ? new TriggerChain.Link(jobOf.get(run), triggeredBy.get(run)) : null);
        chain.cycleWith(job.name()).ifPresent(cycle -> {
            throw new IllegalArgumentException("job '" + job.name() + "' is already running up this chain of triggers ("
                    + String.join(" → ", cycle) + "); a cycle would never end");
        });
        if (!TriggerChain.mayExtend(chain.jobs().size() - 1)) {
            throw new IllegalArgumentException("run " + request.runKey() + " ends a chain of " + (chain.jobs().size() - 1)
                    + " triggered runs, the most allowed; a longer chain is taken for a cycle");
        }
        ResolvedParameters parameters = RunStarter.parameters(job, request.parameters());
        Map<String, String> values = RunStarter.secrets(job, secrets);
        LocalRunLayout.Claim claim = layout.claimNextRun(job.name());
        Path workspace = layout.workspace(claim.key());
        RunContext context = new RunContext(claim.key(), claim.number(), parent.branch(), parent.commit(), "upstream",
                job.name(), parent.project());
        jobOf.put(claim.key(), job.name());
        triggeredBy.put(claim.key(), request.runKey());

        // a run's events reach the console after its state was saved, so its first ones may come late (a cold
        // store): the nested run shows only once its parent showed the task whose step started it (1 s at most)
        ConsoleProgress parentProgress = progressOf.get(request.runKey());
        if (parentProgress != null) parentProgress.awaitShown(request.task(), 1, TimeUnit.SECONDS);
        PrintWriter prefixed = new PrintWriter(new PrefixedLines(console, claim.key() + " ▸ "), true);
        ConsoleProgress progress = new ConsoleProgress(prefixed, logs, claim.key(),
                job.tasks().stream().map(Task::name).toList(), showOutput, false);
        progressOf.put(claim.key(), progress);
        prefixed.println("run " + claim.key() + " of job " + job.name() + ", triggered by " + request.runKey() + " "
                + request.task() + " — workspace " + workspace);
        RunHandle handle = starter.start(new RunStart(job, parameters, context, values, workspace,
                ws -> WorkspaceCopy.copy(sourceDir, ws, Set.of(layout.dataDir()))), progress);
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
