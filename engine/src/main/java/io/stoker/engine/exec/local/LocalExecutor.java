package io.stoker.engine.exec.local;

import io.stoker.engine.exec.Executor;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.files.FileTrees;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.files.SafeFileName;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs task attempts as processes on this machine.
 *
 * <p>Each attempt runs in its own session and process group (started through {@code setsid} when it exists), so
 * a timeout or cancel kills the whole tree, including processes that were re-parented. Its environment is a clean
 * base taken from this process — only {@link #BASE_ENV} — plus what the launch carries, plus {@code STOKER_OUTPUT}
 * (a file outside the workspace). Scripts are written to a per-attempt scratch directory readable by this user only
 * (directories 0700, files 0600): a step starting with {@code #!} is made executable and executed, any other runs
 * with {@code bash -e} ({@code sh -e} without bash).
 *
 * <p>A step whose rendered text holds a secret value ({@code ${{ secrets.X }}}) never reaches the disk as text when
 * it is a shell step: its text travels in an environment variable that the step's shell reads, unsets and
 * {@code eval}s ({@link StepFiles}). A secret shebang step (or one too large for an environment variable) is a
 * 0700 file the driver removes as soon as the step ends. Attempt directories go when the attempt is released, the
 * run's directory with its last attempt; {@link #sweepLeftovers()} stops the tasks and clears the files a crashed
 * process left.
 *
 * <p>When a task ends on its own, what is left of its process group is killed once its output was read to the end
 * (the engine waits up to 200 ms for the streams to close), and so is whatever else still holds that output then;
 * then every process still carrying the attempt's {@code STOKER_OUTPUT} (one that left the group and its output,
 * {@code setsid x >/dev/null 2>&1 &}) gets SIGTERM, and SIGKILL 2 s later, as a {@link TaskSandbox}'s PID namespace
 * ends with the task. A stopped task (cancel, timeout, the server stopping) loses them at once. A process started
 * without that variable ({@code env -u STOKER_OUTPUT}, a deployment's service) outlives its task. Only the first MiB
 * of {@code $STOKER_OUTPUT} is read.
 */
public final class LocalExecutor implements Executor {

    /** Variables passed through from this process, when set; everything else of its environment is dropped. */
    public static final List<String> BASE_ENV = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG",
            "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TERM", "JAVA_HOME", "PYENV_ROOT");

    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path scratch;
    private final Map<String, String> baseEnv;
    private final String shell;
    private final String setsid;
    private final TaskSandbox sandbox;

    /** An executor keeping its per-attempt files (scripts, output file) under {@code scratch}. */
    public LocalExecutor(Path scratch) {
        this(scratch, baseEnvironment());
    }

    /** As above with an explicit base environment. */
    public LocalExecutor(Path scratch, Map<String, String> baseEnv) {
        this(scratch, baseEnv, null);
    }

    private LocalExecutor(Path scratch, Map<String, String> baseEnv, TaskSandbox sandbox) {
        this.scratch = scratch.toAbsolutePath().normalize(); // STOKER_OUTPUT, a task's mark, is absolute: see LeftoverProcesses
        this.baseEnv = Map.copyOf(baseEnv);
        this.shell = firstExisting("/bin/bash", "/usr/bin/bash", "/bin/sh");
        this.setsid = firstExisting("/usr/bin/setsid", "/bin/setsid");
        this.sandbox = sandbox;
    }

    /** The same executor running each task inside {@code sandbox} (null: none). */
    public LocalExecutor withSandbox(TaskSandbox sandbox) {
        return new LocalExecutor(scratch, baseEnv, sandbox);
    }

    /** The sandbox tasks run in, if any. */
    public java.util.Optional<TaskSandbox> sandbox() {
        return java.util.Optional.ofNullable(sandbox);
    }

    /** The base environment taken from this process ({@link #BASE_ENV}). */
    public static Map<String, String> baseEnvironment() {
        var env = new java.util.LinkedHashMap<String, String>();
        for (String name : BASE_ENV) {
            String v = System.getenv(name);
            if (v != null) env.put(name, v);
        }
        return env;
    }

    /** Whether tasks get their own process group, so killing them reaches every descendant. */
    public boolean isolatesProcessGroups() {
        return setsid != null;
    }

    /**
     * Stops the processes of attempts an earlier process of this executor left running and removes everything under
     * the scratch directory: call it once when a server starts, before any run, so neither the tasks a crash
     * interrupted nor their scripts and output files stay. Returns how many processes it stopped.
     */
    public int sweepLeftovers() throws IOException {
        return sweepLeftovers(scratch);
    }

    /**
     * As {@link #sweepLeftovers()} for the scratch directory of an executor that is gone (a dead server's): its
     * contents are removed, the directory stays.
     */
    public static int sweepLeftovers(Path scratch) throws IOException {
        int stopped = LeftoverProcesses.stop(scratch);
        if (Files.isDirectory(scratch)) FileTrees.deleteContents(scratch);
        return stopped;
    }

    @Override
    public RunningTask start(TaskLaunch launch) throws IOException {
        Prepared prepared = prepare(launch, shell);
        List<String> command = new ArrayList<>();
        if (setsid != null) command.add(setsid);
        try {
            if (sandbox != null) command.addAll(sandbox.wrap(launch.workspace(), prepared.dir(), prepared.env()));
            command.addAll(prepared.command());
            return prepared.start(command, withGitCeiling(baseEnv, launch.workspace()), setsid != null);
        } catch (IOException | RuntimeException e) {
            prepared.discard(); // no handle will release it: its scripts would stay until the next start's sweep
            throw e;
        }
    }

    /**
     * {@code base} and {@code GIT_CEILING_DIRECTORIES} at the workspace's parent: git then stops at the workspace, so a
     * task in one without its own {@code .git} (a local run's copy inside a person's checkout, a project without git
     * whose data directory lies in one) does not find the repository around it, where its {@code git reset --hard} or
     * {@code git clean} would act on that person's work. A Jobfile's own value comes later and wins.
     */
    private static Map<String, String> withGitCeiling(Map<String, String> base, Path workspace) {
        Path around = workspace.toAbsolutePath().getParent();
        if (around == null) return base;
        Map<String, String> env = new java.util.LinkedHashMap<>(base);
        env.put("GIT_CEILING_DIRECTORIES", around.toString());
        return env;
    }

    /**
     * Writes an attempt's scripts into its private scratch directory and works out how its steps start, without
     * starting them: another executor (containers) runs the same steps inside something else. {@code shell} runs
     * the plain steps.
     */
    public Prepared prepare(TaskLaunch launch, String shell) throws IOException {
        Path dir = attemptDir(launch);
        Path output = dir.resolve("output");
        StepFiles steps;
        try {
            Files.deleteIfExists(output);
            Files.createFile(output, PRIVATE_FILE);
            steps = StepFiles.write(dir, launch, shell);
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteQuietly(dir); // scripts written before the failure
            throw e;
        }
        Map<String, String> env = new java.util.LinkedHashMap<>(launch.env());
        env.putAll(steps.env());
        env.put("STOKER_OUTPUT", output.toString());
        return new Prepared(launch, dir, steps.command(), env);
    }

    /**
     * An attempt ready to start.
     *
     * @param dir     its private scratch directory (scripts and the {@code STOKER_OUTPUT} file)
     * @param command the command line running its steps in order
     * @param env     every variable its steps get on top of a base environment (the launch's, the scripts',
     *                {@code STOKER_OUTPUT})
     */
    public record Prepared(TaskLaunch launch, Path dir, List<String> command, Map<String, String> env) {

        /**
         * Starts {@code command} (which runs {@link #command()} somehow) in the workspace with {@code base} plus
         * {@link #env()}; {@code ownGroup} when it leads its own process group (killed as a group).
         */
        public RunningTask start(List<String> command, Map<String, String> base, boolean ownGroup) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(launch.workspace().toFile());
            Map<String, String> environment = pb.environment();
            environment.clear();
            environment.putAll(base);
            environment.putAll(env);
            if (!launch.pipedStdin()) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("Argument list too long")) throw e;
                discard();
                throw new IOException(tooBig(environment), e);
            }
            return new LocalRunningTask(process, ownGroup, dir, dir.resolve("output"), launch.workspace());
        }

        /**
         * The kernel refused the process (E2BIG): one variable over its 128 KiB limit per string, or all of them over
         * the argument space. Said in those words, naming the largest, not as the JVM's "Cannot run program".
         */
        private static String tooBig(Map<String, String> environment) {
            var largest = environment.entrySet().stream()
                    .max(java.util.Comparator.comparingInt(e -> e.getKey().length() + e.getValue().length()));
            long total = environment.entrySet().stream().mapToLong(e -> e.getKey().length() + e.getValue().length() + 2L).sum();
            return "the task's environment is too large for the system to start it (a variable may hold at most"
                    + " 128 KiB, all of them together about 2 MiB): " + environment.size() + " variables, "
                    + total + " bytes"
                    + largest.map(e -> "; the largest is " + e.getKey() + ", " + e.getValue().length() + " bytes").orElse("");
        }

        /** Removes its scratch files when it never started. */
        public void discard() {
            FileTrees.deleteQuietly(dir);
        }
    }

    /**
     * Creates {@code scratch/RUN/TASK/attempt-N} with every level 0700. A concurrent release may remove the run's
     * directory between two levels (its last other attempt ending): then it is simply made again.
     */
    private Path attemptDir(TaskLaunch launch) throws IOException {
        Path run = scratch.resolve(SafeFileName.of(launch.runKey()));
        Path task = run.resolve(SafeFileName.of(launch.task()));
        for (int tries = 0; ; tries++) {
            try {
                Files.createDirectories(scratch);
                for (Path p : List.of(run, task)) {
                    if (!Files.isDirectory(p)) {
                        try {
                            Files.createDirectory(p, PRIVATE_DIR);
                        } catch (java.nio.file.FileAlreadyExistsException raced) {
                            // another attempt of the run made it first
                        }
                    }
                }
                return ownAttemptDir(task, launch.attempt());
            } catch (java.nio.file.NoSuchFileException removedMeanwhile) {
                if (tries >= 10) throw removedMeanwhile;
            }
        }
    }

    /**
     * A directory for the attempt made here and by no other attempt: its {@code output} file is the mark by which
     * the processes the attempt leaves are stopped, so two running attempts never share one, not even two tasks
     * whose names give the same file name ({@code t[v=a/b]} and {@code t[v=a_b]}): the second gets
     * {@code attempt-N.2}.
     */
    private static Path ownAttemptDir(Path task, int attempt) throws IOException {
        for (int n = 1; ; n++) {
            try {
                return Files.createDirectory(task.resolve("attempt-" + attempt + (n == 1 ? "" : "." + n)), PRIVATE_DIR);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // another attempt's, running or not released (its files still there): the next name
            }
        }
    }

    static String firstExisting(String... paths) {
        for (String p : paths) if (Files.isExecutable(Path.of(p))) return p;
        return null;
    }
}
