package io.stoker.engine.exec.local;

import io.stoker.engine.exec.Executor;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.files.SafeFileName;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs task attempts as processes on this machine.
 *
 * <p>Each attempt runs in its own session and process group (started through {@code setsid} when it exists), so
 * a timeout or cancel kills the whole tree, including processes that were re-parented. Its environment is a clean
 * base taken from this process — only {@link #BASE_ENV} — plus what the launch carries, plus {@code STOKER_OUTPUT}
 * (a file outside the workspace). Scripts are written to a per-attempt scratch directory: a step starting with
 * {@code #!} is made executable and executed, any other runs with {@code bash -e} ({@code sh -e} without bash).
 *
 * <p>When a task ends on its own, background processes it left are killed only if they still hold its output
 * open (the engine waits 200 ms for the streams to close, then kills the group); a process fully detached from the
 * task's output ({@code nohup x >/dev/null 2>&1 &}) outlives it. Only the first MiB of {@code $STOKER_OUTPUT}
 * is read.
 */
public final class LocalExecutor implements Executor {

    /** Variables passed through from this process, when set; everything else of its environment is dropped. */
    public static final List<String> BASE_ENV = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG",
            "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TERM", "JAVA_HOME", "PYENV_ROOT");

    private final Path scratch;
    private final Map<String, String> baseEnv;
    private final String shell;
    private final String setsid;

    /** An executor keeping its per-attempt files (scripts, output file) under {@code scratch}. */
    public LocalExecutor(Path scratch) {
        this(scratch, baseEnvironment());
    }

    /** As above with an explicit base environment. */
    public LocalExecutor(Path scratch, Map<String, String> baseEnv) {
        this.scratch = scratch;
        this.baseEnv = Map.copyOf(baseEnv);
        this.shell = firstExisting("/bin/bash", "/usr/bin/bash", "/bin/sh");
        this.setsid = firstExisting("/usr/bin/setsid", "/bin/setsid");
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

    @Override
    public RunningTask start(TaskLaunch launch) throws IOException {
        Path dir = Files.createDirectories(scratch.resolve(SafeFileName.of(launch.runKey()))
                .resolve(SafeFileName.of(launch.task())).resolve("attempt-" + launch.attempt()));
        Path output = dir.resolve("output");
        Files.deleteIfExists(output);
        Files.createFile(output);

        List<String> command = new ArrayList<>();
        if (setsid != null) command.add(setsid);
        command.addAll(commandFor(dir, launch.scripts()));

        ProcessBuilder pb = new ProcessBuilder(command).directory(launch.workspace().toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(baseEnv);
        env.putAll(launch.env());
        env.put("STOKER_OUTPUT", output.toString());
        if (!launch.pipedStdin()) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = pb.start();
        return new LocalRunningTask(process, setsid != null, dir, output, launch.workspace());
    }

    private List<String> commandFor(Path dir, List<String> scripts) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < scripts.size(); i++) {
            String script = scripts.get(i);
            boolean shebang = script.startsWith("#!");
            Path file = dir.resolve("step-" + (i + 1) + (shebang ? "" : ".sh"));
            Files.writeString(file, script);
            if (shebang) Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
            files.add(file);
        }
        if (files.size() == 1) return stepCommand(files.getFirst());
        if (files.isEmpty()) return List.of(shell, "-c", "true");
        // several steps: a small driver runs them in order and stops at the first failure with its exit code
        StringBuilder driver = new StringBuilder();
        for (Path f : files) {
            driver.append(String.join(" ", stepCommand(f).stream().map(LocalExecutor::quote).toList()))
                    .append(" || exit $?\n");
        }
        Path driverFile = dir.resolve("steps.sh");
        Files.writeString(driverFile, driver);
        return List.of(shell, driverFile.toString());
    }

    private List<String> stepCommand(Path file) {
        return file.getFileName().toString().endsWith(".sh") ? List.of(shell, "-e", file.toString())
                : List.of(file.toString());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String firstExisting(String... paths) {
        for (String p : paths) if (Files.isExecutable(Path.of(p))) return p;
        return null;
    }
}
