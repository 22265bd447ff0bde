package io.stoker.engine.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything an executor needs to start one attempt of a task. Templates are already rendered.
 *
 * @param runKey     the run this attempt belongs to
 * @param task       the task's full name ({@code test[jdk=17]} for a matrix cell)
 * @param attempt    1 for the first attempt
 * @param scripts    the steps' scripts in order; a script starting with {@code #!} runs with that interpreter,
 *                   otherwise with {@code bash -e} ({@code sh -e} where there is no bash)
 * @param workspace  the run workspace, shared by every task of the run
 * @param env        job env + task env + parameters + secrets + STOKER_* variables; the executor adds its
 *                   own base environment (PATH, HOME, …) and {@code STOKER_OUTPUT}
 * @param pipedStdin whether the task reads a pipe: when false its stdin is closed (reads see end of file)
 */
public record TaskLaunch(
        String runKey,
        String task,
        int attempt,
        List<String> scripts,
        Path workspace,
        Map<String, String> env,
        boolean pipedStdin) {

    public TaskLaunch {
        scripts = List.copyOf(scripts);
        env = Map.copyOf(env);
    }
}
