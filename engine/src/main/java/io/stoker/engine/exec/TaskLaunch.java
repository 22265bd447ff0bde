package io.stoker.engine.exec;

import io.stoker.engine.image.RegistryCredentials;
import io.stoker.model.Container;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param agent      the label expression choosing where the attempt runs (the task's, else the job's), null for
 *                   anywhere; an executor that routes between machines reads it, a single machine ignores it
 * @param secretNames the names in {@code env} whose values are secrets: an executor must never put them on a
 *                   command line or in a file others can read
 * @param container  the image the steps run in, with its services; null to run on the host
 * @param registryLogin the login for pulling the container's images (its {@code registryCredentials}), or null
 */
public record TaskLaunch(
        String runKey,
        String task,
        int attempt,
        List<String> scripts,
        Path workspace,
        Map<String, String> env,
        boolean pipedStdin,
        String agent,
        Set<String> secretNames,
        Container container,
        RegistryCredentials registryLogin) {

    public TaskLaunch {
        scripts = List.copyOf(scripts);
        env = Map.copyOf(env);
        secretNames = secretNames == null ? Set.of() : Set.copyOf(secretNames);
    }

    /** A launch whose images are pulled without a login. */
    public TaskLaunch(String runKey, String task, int attempt, List<String> scripts, Path workspace,
                      Map<String, String> env, boolean pipedStdin, String agent, Set<String> secretNames,
                      Container container) {
        this(runKey, task, attempt, scripts, workspace, env, pipedStdin, agent, secretNames, container, null);
    }

    /** A launch that may run anywhere and carries no secrets. */
    public TaskLaunch(String runKey, String task, int attempt, List<String> scripts, Path workspace,
                      Map<String, String> env, boolean pipedStdin) {
        this(runKey, task, attempt, scripts, workspace, env, pipedStdin, null, Set.of(), null);
    }

    /** A launch on the host. */
    public TaskLaunch(String runKey, String task, int attempt, List<String> scripts, Path workspace,
                      Map<String, String> env, boolean pipedStdin, String agent, Set<String> secretNames) {
        this(runKey, task, attempt, scripts, workspace, env, pipedStdin, agent, secretNames, null);
    }

    /**
     * Whether a text (a rendered script) holds the value of one of this launch's secrets: such a text must not be
     * written where it outlives the attempt or where others can read it.
     */
    public boolean holdsSecret(String text) {
        for (String name : secretNames) {
            String value = env.get(name);
            if (value != null && !value.isEmpty() && text.contains(value)) return true;
        }
        return false;
    }
}
