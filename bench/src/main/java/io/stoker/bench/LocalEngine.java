package io.stoker.bench;

import io.stoker.dsl.CompileResult;
import io.stoker.dsl.JobfileCompiler;
import io.stoker.engine.artifact.FileArtifactStore;
import io.stoker.engine.exec.local.LocalExecutor;
import io.stoker.engine.log.FileLogStore;
import io.stoker.engine.params.ParameterResolver;
import io.stoker.engine.run.RunContext;
import io.stoker.engine.run.RunEngine;
import io.stoker.engine.run.RunListener;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.RunRequest;
import io.stoker.engine.run.RunState;
import io.stoker.engine.store.JsonFileRunStore;
import io.stoker.model.Job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The engine wired as {@code stoker run} wires it (local executor, file logs, file artifacts, JSON run store) under
 * one directory, running one job after another in fresh workspaces.
 */
final class LocalEngine implements AutoCloseable {
    private final Path root;
    private final RunEngine engine;
    private final FileLogStore logs;
    private int runs;

    LocalEngine(Path root) {
        this(root, new LocalExecutor(root.resolve("scratch")));
    }

    /** The same wiring with another executor (the agent section runs tasks on SSH agents). */
    LocalEngine(Path root, io.stoker.engine.exec.Executor executor) {
        this.root = root;
        Path runsRoot = root.resolve("runs");
        this.logs = new FileLogStore(runsRoot);
        this.engine = new RunEngine(executor, logs,
                new FileArtifactStore(runsRoot), new JsonFileRunStore(runsRoot), java.time.Clock.systemUTC());
    }

    /**
     * Compiles a YAML Jobfile text with one job (YAML: a 200-task Groovy script is slow to compile on a loaded
     * machine, and compiling is not what these sections measure). A bench that cannot build its job throws.
     */
    static Job job(String yaml) {
        return switch (new JobfileCompiler().compile("Jobfile.yaml", yaml)) {
            case CompileResult.Compiled c -> c.jobfile().jobs().getFirst();
            case CompileResult.Rejected r -> throw new IllegalStateException("bench Jobfile rejected: " + r.diagnostics());
        };
    }

    /** Runs the job to its end; a run that did not succeed throws, so no figure comes from a broken run. */
    RunRecord run(Job job, int parallel) throws IOException, InterruptedException {
        String key = job.name() + "-" + (++runs);
        Path workspace = Files.createDirectories(root.resolve("ws").resolve(key));
        var params = ParameterResolver.resolve(job, Map.of()).parameters();
        RunRecord record = engine.run(new RunRequest(job, params, RunContext.local(key, runs, job.name()), workspace,
                Map.of(), parallel), RunListener.NONE);
        if (record.state() != RunState.SUCCEEDED) {
            throw new IllegalStateException("bench run " + key + " ended " + record.state() + ": " + record.reason());
        }
        return record;
    }

    /** The last line a task wrote to stdout, from its log file ({@code <timestamp> out <text>}). */
    static String lastOutLine(RunRecord record, String task) throws IOException {
        String last = null;
        for (String line : Files.readAllLines(Path.of(record.task(task).log()))) {
            int i = line.indexOf(" out ");
            if (i > 0) last = line.substring(i + 5);
        }
        return last;
    }

    /** Removes the workspaces, logs and scratch files of the runs so far (they grow by hundreds of MB). */
    void clearRuns() {
        TempDir.deleteContents(root);
    }

    @Override
    public void close() {
        engine.close();
    }
}
