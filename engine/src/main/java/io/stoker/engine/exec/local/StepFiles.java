package io.stoker.engine.exec.local;

import io.stoker.engine.exec.TaskLaunch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an attempt's steps are started: the command line and the extra environment.
 *
 * <p>A shell step is a 0600 file run with {@code SHELL -e FILE}, unless its text holds the value of one of the
 * launch's secrets: then its text goes in a variable {@code __STOKER_STEP_N} and the step runs as
 * {@code SHELL -e -c 'unset …; eval "$text"'}, so the secret is never written to disk and no process the step
 * starts inherits the script. A shebang step (or a secret step too large for one environment variable) is a file;
 * when it holds a secret the driver deletes it as soon as the step ends. Several steps (or one to delete) run
 * through a small driver script that stops at the first failure with its exit code.
 *
 * @param command the command line (without {@code setsid})
 * @param env     variables to add to the attempt's environment
 */
record StepFiles(List<String> command, Map<String, String> env) {

    /** Linux refuses one environment string over 128 KiB (MAX_ARG_STRLEN); stay well below. */
    static final int MAX_ENV_SCRIPT_BYTES = 96 * 1024;
    private static final String VARIABLE = "__STOKER_STEP_";

    StepFiles {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    static StepFiles write(Path dir, TaskLaunch launch, String shell) throws IOException {
        List<String> scripts = launch.scripts();
        if (scripts.isEmpty()) return new StepFiles(List.of(shell, "-c", "true"), Map.of());
        Map<String, String> env = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < scripts.size(); i++) {
            String script = scripts.get(i);
            boolean shebang = script.startsWith("#!");
            boolean secret = launch.holdsSecret(script);
            String name = "step-" + (i + 1);
            if (secret && !shebang && script.getBytes(StandardCharsets.UTF_8).length <= MAX_ENV_SCRIPT_BYTES) {
                env.put(VARIABLE + (i + 1), script);
                steps.add(new Step(null, false, List.of(), i + 1)); // its command needs every variable's name
                continue;
            }
            Path file = dir.resolve(shebang ? name : name + ".sh");
            Files.writeString(file, script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(shebang ? "rwx------" : "rw-------"));
            steps.add(new Step(file, secret,
                    shebang ? List.of(file.toString()) : List.of(shell, "-e", file.toString()), i + 1));
        }
        // each step's shell unsets every script variable before running its own, so no user process sees them
        String unset = env.isEmpty() ? "" : "unset " + String.join(" ", env.keySet()) + "; ";
        List<List<String>> commands = steps.stream().map(s -> s.file != null ? s.command : List.of(shell, "-e", "-c",
                "__stoker_step=\"$" + VARIABLE + s.number + "\"; " + unset + "eval \"$__stoker_step\"",
                "step-" + s.number)).toList();
        if (steps.size() == 1 && !steps.getFirst().deleteAfter) return new StepFiles(commands.getFirst(), env);
        StringBuilder driver = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            String cmd = String.join(" ", commands.get(i).stream().map(StepFiles::quote).toList());
            Step s = steps.get(i);
            if (s.deleteAfter) {
                driver.append(cmd).append("; s=$?; rm -f ").append(quote(s.file.toString()))
                        .append("; [ $s -eq 0 ] || exit $s\n");
            } else {
                driver.append(cmd).append(" || exit $?\n");
            }
        }
        Path driverFile = dir.resolve("steps.sh");
        Files.writeString(driverFile, driver);
        Files.setPosixFilePermissions(driverFile, PosixFilePermissions.fromString("rw-------"));
        return new StepFiles(List.of(shell, driverFile.toString()), env);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private record Step(Path file, boolean deleteAfter, List<String> command, int number) {
    }
}
