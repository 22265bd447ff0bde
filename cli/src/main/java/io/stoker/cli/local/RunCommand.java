package io.stoker.cli.local;

import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;
import io.stoker.cli.HelpText;
import io.stoker.cli.run.ConsoleProgress;
import io.stoker.cli.run.DryRunPrinter;
import io.stoker.cli.run.GitContext;
import io.stoker.cli.run.KeyValues;
import io.stoker.cli.run.LocalJobTrigger;
import io.stoker.cli.run.LocalRunLayout;
import io.stoker.cli.run.RunSummary;
import io.stoker.cli.run.SecretsFile;
import io.stoker.cli.run.SecretsNeeded;
import io.stoker.cli.run.SelectedTasks;
import io.stoker.cli.run.WorkspaceCopy;
import io.stoker.container.ContainerExecutor;
import io.stoker.engine.artifact.FileArtifactStore;
import io.stoker.engine.cache.CacheStore;
import io.stoker.engine.cache.FileCacheStore;
import io.stoker.engine.exec.local.LocalExecutor;
import io.stoker.engine.log.FileLogStore;
import io.stoker.engine.params.ResolvedParameters;
import io.stoker.engine.run.RunContext;
import io.stoker.engine.run.RunEngine;
import io.stoker.engine.run.RunHandle;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.RunState;
import io.stoker.engine.run.TaskSelection;
import io.stoker.engine.start.HostAccessPolicy;
import io.stoker.engine.start.InvalidParameters;
import io.stoker.engine.start.RunStart;
import io.stoker.engine.start.RunStarter;
import io.stoker.engine.start.SecretSource;
import io.stoker.engine.store.JsonFileRunStore;
import io.stoker.server.container.ContainerWiring;
import io.stoker.model.Job;
import io.stoker.model.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code stoker run}: runs a job locally with the same engine and semantics as the server. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
                "Run a job locally, with the engine the server uses.",
                "The run works in a fresh workspace (a copy of the Jobfile's directory, without ." + HelpText.GLUE
                        + "git and the data directory) and shows live progress and every task's output prefixed with its name.",
                "Exit 0 when the run succeeded (a task with allowFailure that failed leaves it so, shown as allowed to "
                        + "fail), 1 when it failed, 2 for an invalid Jobfile, parameter or option."})
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "the Jobfile, a directory holding one (default: the current directory), or - to read it "
                    + "from stdin (its syntax told by its start, as for validate -; the workspace is then a copy of "
                    + "the current directory)")
    Path file;

    @Option(names = {"-j", "--job"}, paramLabel = "JOB", description = "the job to run (needed when the Jobfile has several)")
    String job;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "a parameter value; repeat for several (a key given again replaces the value before)")
    List<String> params;

    @Option(names = "--task", paramLabel = "TASK", description = "run only TASK and what it needs, directly or not"
            + " (its needs and pipe writers); the job's other tasks are skipped and no version is published. A matrix"
            + " task's name selects all its cells, test[jdk=17] one cell; repeat for several")
    List<String> tasks;

    @Option(names = "--dry-run", description = "print the plan (order, pipes, parameters, known when outcomes) and run"
            + " nothing; with --json, as one JSON object on stdout")
    boolean dryRun;

    @Option(names = "--max-task-log-bytes", paramLabel = "N",
            description = "a task log's cap: over it the first lines and the last ones (up to a quarter of N, at most "
                    + "8 MiB) are kept (default: ${DEFAULT-VALUE}, 64 MiB)")
    long maxTaskLogBytes = io.stoker.engine.log.FileLogStore.DEFAULT_MAX_BYTES;

    @Option(names = "--parallel", paramLabel = "N", description = "at most N tasks at once; a pipe's tasks start together and take a slot each (a pipe of more than N tasks runs alone) (default: the number of CPUs, ${DEFAULT-VALUE})")
    int parallel = Runtime.getRuntime().availableProcessors();

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".stoker",
            description = "where runs keep their workspace, logs, artifacts and run.json (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--max-copy", paramLabel = "SIZE", defaultValue = "2g",
            description = "refuse to start when the Jobfile's directory holds more than SIZE bytes (k, m, g) or"
                    + " 500,000 files to copy into the workspace; 0 for no limit (default: ${DEFAULT-VALUE})")
    String maxCopy;

    @Option(names = "--secrets-file", paramLabel = "FILE",
            description = "NAME=value lines (blank and #-lines skipped; the value is what follows the first =, verbatim but"
                    + " for outer spaces: no escapes or $VAR expansion, one line each; \"double quotes\" keep outer spaces); tasks get"
                    + " the secrets their job or task declares, masked in every log")
    Path secretsFile;

    @Option(names = "--branch", paramLabel = "BRANCH",
            description = "run.branch for conditions (default: the branch checked out where the Jobfile is)")
    String branch;

    @Option(names = "--json", description = "print a JSON summary on stdout at the end (progress goes to stderr); with"
            + " --dry-run, the plan as JSON")
    boolean json;

    @Option(names = "--allow-host-access", description = "let tasks in images use what they ask for with privileged,"
            + " network 'host' and mount (refused otherwise, as on a server whose admin did not allow it)")
    boolean allowHostAccess;

    @Option(names = {"-q", "--quiet"}, description = "show task starts and ends, not their output")
    boolean quiet;

    @Option(names = "--approve", paramLabel = "TASK", description = "approve TASK's approval gate in your name when it"
            + " opens (a matrix task's name covers its cells); repeat for several. Nobody else can approve in a local"
            + " run: other gates are rejected and the run takes its failure path")
    List<String> approve;

    @Option(names = "--no-cache", description = "run every task without its cache: none is restored and none saved;"
            + " the caches kept in the data directory stay as they are (as a build with a clean dependency download)")
    boolean noCache;

    @Option(names = "--approve-all", description = "approve every approval gate of the run in your name")
    boolean approveAll;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // the command line's own mistakes are told before the Jobfile is looked for, read and compiled
        if (parallel < 1) throw CliException.usage("--parallel must be at least 1, not " + parallel);
        if (maxTaskLogBytes < 1024) {
            throw CliException.usage("--max-task-log-bytes must be at least 1024, not " + maxTaskLogBytes);
        }
        long maxCopyBytes = ByteSize.parse(maxCopy, "--max-copy");
        Map<String, String> given = KeyValues.parse(params, "-p");
        SelectedTasks.named(tasks);
        JobfileSource source = JobfileSource.locateOrStdin(file, System.in);
        io.stoker.model.Jobfile jobfile = source.compile(spec.commandLine().getErr());
        Job chosen = JobfileSource.chooseJob(jobfile, job);
        TaskSelection selection = SelectedTasks.of(chosen, tasks);
        // what is checked before the run (host access, secrets, the container engine) is what the run will run
        Job running = selection.cut(chosen);
        String refused = allowHostAccess ? null : HostAccessPolicy.refusal(running, "--allow-host-access");
        if (refused != null) throw CliException.invalid(refused);
        CommandLineApprovals approvals = CommandLineApprovals.of(approve, approveAll, chosen);

        ResolvedParameters parameters;
        try {
            parameters = RunStarter.parameters(chosen, given);
        } catch (InvalidParameters e) {
            // one error is the refusal's own line; several are listed first, the refusal counts them
            if (e.errors().size() == 1) throw CliException.invalid(e.errors().getFirst());
            e.errors().forEach(spec.commandLine().getErr()::println);
            throw CliException.invalid(e.errors().size() + " invalid parameters");
        }
        Map<String, String> givenSecrets = secretsFile == null ? Map.of() : SecretsFile.read(secretsFile);
        SecretSource secretSource = SecretsFile.source(givenSecrets);

        GitContext git = GitContext.of(source.directory());
        String runBranch = branch != null ? branch : git.branch();

        if (dryRun) {
            // a plan runs nothing, so it needs no secret values: it names the secrets a run will ask for instead
            SecretsNeeded needed = SecretsNeeded.of(RunStarter.declaredSecrets(running), givenSecrets.keySet());
            if (json) {
                spec.commandLine().getOut().println(io.stoker.server.db.Json.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(DryRunPrinter.json(chosen, selection, parameters, runBranch, git.commit(),
                                parallel, needed)));
            } else {
                DryRunPrinter.print(spec.commandLine().getOut(), chosen, selection, parameters, runBranch,
                        git.commit(), parallel, needed);
            }
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
        Map<String, String> secrets = RunStarter.secrets(running, secretSource);

        LocalRunLayout layout = new LocalRunLayout(dataDir.toAbsolutePath().normalize());
        checkDataDir(source.directory(), layout.dataDir());
        checkCopySize(source.directory(), layout.dataDir(), maxCopyBytes);
        LocalRunLayout.Claim claim = layout.claimNextRun(chosen.name());
        Path workspace = layout.workspace(claim.key());
        RunContext context = new RunContext(claim.key(), claim.number(), emptyToNull(runBranch),
                emptyToNull(git.commit()), "manual", chosen.name(), null);
        RunStart start = new RunStart(chosen, parameters, context, secrets, workspace,
                ws -> WorkspaceCopy.copy(source.directory(), ws, Set.of(layout.dataDir())), Map.of(), false, selection);

        PrintWriter progressOut = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        FileLogStore logs = new FileLogStore(layout.runsRoot(), maxTaskLogBytes);
        RunRecord result;
        // Ctrl-C (or SIGTERM) runs the shutdown hook below; it holds the JVM until the summary is printed
        java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
        LocalJobTrigger jobs = new LocalJobTrigger(jobfile, source.directory(), layout, logs, secretSource, context,
                progressOut, !quiet);
        LocalExecutor local = new LocalExecutor(layout.scratchRoot());
        ContainerExecutor containers = needsContainers(running)
                ? ContainerWiring.executor(local, layout.dataDir(), System.getenv(), null) : null;
        try (RunEngine engine = new RunEngine(containers == null ? local : containers, jobs, approvals,
                logs, new FileArtifactStore(layout.runsRoot()), new JsonFileRunStore(layout.runsRoot()), null,
                io.stoker.engine.version.DeployedVersions.NONE, containers == null ? ContainerWiring.images(layout.dataDir(), System.getenv())
                        : ContainerWiring.images(containers, layout.dataDir(), System.getenv()),
                noCache ? CacheStore.off("--no-cache")
                        : FileCacheStore.local(layout.dataDir().resolve("caches"), FileCacheStore.DEFAULT_MAX_BYTES, Clock.systemUTC()),
                Clock.systemUTC());
             ConsoleProgress progress = new ConsoleProgress(progressOut, logs, claim.key(),
                     chosen.tasks().stream().map(Task::name).toList(), !quiet, useColor(json))) {
            RunStarter starter = new RunStarter(engine, parallel);
            jobs.bind(starter, progress);
            progressOut.println("run " + claim.key() + " of " + source.displayName() + " — workspace " + workspace);
            if (!selection.all()) {
                progressOut.println("only " + SelectedTasks.phrase(selection) + ": " + running.tasks().size() + " of "
                        + chosen.tasks().size() + " tasks; the others are skipped");
            }
            RunHandle handle;
            try {
                handle = starter.start(start, progress);
            } catch (IOException e) {
                // nothing ran: the claimed run directory goes, so the refusal leaves no run behind
                layout.release(claim.key());
                throw CliException.invalid("cannot start the run: " + io.stoker.cli.FileProblem.reason(e));
            }
            Thread cancelOnInterrupt = new Thread(() -> {
                handle.cancel();
                try {
                    handle.result().get(10, java.util.concurrent.TimeUnit.SECONDS);
                    reported.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // leaving anyway: the process trees were killed by cancel()
                }
            }, "stoker-cancel");
            Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
            result = handle.await();
            // runs triggered without waiting still need the engine: let them finish before it closes
            jobs.awaitStarted(TimeUnit.DAYS.toSeconds(1));
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook cancelled the run; say how it ended like any run, then the JVM exits 130
            }
        }
        try {
            progressOut.println(RunSummary.line(result, layout.runsRoot().resolve(claim.key())));
            progressOut.flush();
            if (json) {
                spec.commandLine().getOut().println(io.stoker.server.db.Json.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(RunSummary.json(result)));
                spec.commandLine().getOut().flush();
            }
        } finally {
            reported.countDown();
        }
        return result.state() == RunState.SUCCEEDED ? ExitCode.OK : ExitCode.RUN_FAILED;
    }

    private static boolean useColor(boolean json) {
        return !json && System.console() != null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * Whether the job needs the container engine: a task names an image (a local run puts it in a container exactly
     * as the server does, and fails it in one sentence without an engine) or builds one with buildImage.
     */
    private static boolean needsContainers(io.stoker.model.Job job) {
        return job.tasks().stream().anyMatch(t -> t.container() != null
                || t.steps().stream().anyMatch(s -> s instanceof io.stoker.model.Step.BuildImage));
    }

    /**
     * Refuses (exit 2) a data directory that is the directory the workspace copies: the copy leaves out the data
     * directory only when it sits inside, so each run would copy every run before it, workspaces and all.
     */
    private static void checkDataDir(Path directory, Path data) {
        try {
            if (!Files.isDirectory(data) || !Files.isSameFile(directory, data)) return;
        } catch (IOException e) {
            return; // the run's own use of it says what is wrong
        }
        throw CliException.usage("--data-dir " + data + " is the Jobfile's directory, which each run copies into its"
                + " workspace: every run would copy the runs before it; use a directory inside it (the default .stoker)"
                + " or outside it");
    }

    /** Files a workspace copy may hold at most (with {@code --max-copy} 0: any number). */
    static final long MAX_COPY_FILES = 500_000;

    /** Refuses (exit 2) a run whose workspace copy would pass --max-copy, before anything is copied. */
    private void checkCopySize(Path directory, Path data, long maxBytes) {
        if (maxBytes == 0) return;
        WorkspaceCopy.Size size;
        try {
            size = WorkspaceCopy.measure(directory, Set.of(data), maxBytes, MAX_COPY_FILES);
        } catch (IOException e) {
            return; // the copy itself says what it cannot read
        }
        if (size.bytes() > maxBytes || size.files() > MAX_COPY_FILES) {
            throw CliException.invalid("the run's workspace is a copy of " + directory.toAbsolutePath().normalize()
                    + ", which holds more than " + (size.files() > MAX_COPY_FILES ? String.format(java.util.Locale.ROOT, "%,d files", MAX_COPY_FILES)
                    : maxCopy + " bytes") + "; keep the Jobfile in its project's directory, or raise --max-copy (0: no limit)");
        }
    }
}
