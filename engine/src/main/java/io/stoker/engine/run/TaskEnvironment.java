package io.stoker.engine.run;

import io.stoker.engine.exec.TaskLaunch;
import io.stoker.expr.ExpressionException;
import io.stoker.expr.Unknown;
import io.stoker.model.Job;
import io.stoker.model.Step;
import io.stoker.model.Task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a task sees of its run: the expression scope (parameters, env, run facts, its declared secrets, upstream
 * outputs, status functions) and the environment and scripts of a launch.
 */
final class TaskEnvironment {
    private final RunExecution run;
    private final RunRequest request;
    private final Job job;
    private final Map<String, TaskRun> tasks;

    TaskEnvironment(RunExecution run, Map<String, TaskRun> tasks) {
        this.run = run;
        this.request = run.request;
        this.job = request.job();
        this.tasks = tasks;
    }

    /** The secrets a task may read: those its job or itself declares. */
    Set<String> declaredSecrets(Task task) {
        Set<String> declared = new LinkedHashSet<>(job.secrets());
        declared.addAll(task.secrets());
        return declared;
    }

    /** The scope of a task's expressions; members of its own pipe group count as succeeding (they start together). */
    TaskScope scope(TaskRun t, PipeGroup g) {
        Set<String> allowed = declaredSecrets(t.task);
        return new TaskScope(t.task, job.env(), request.parameters()::get, request.context(),
                name -> allowed.contains(name) ? request.secrets().get(name) : null,
                (task, key) -> {
                    TaskRun o = tasks.get(task);
                    // an allowed failure passes nothing on: what it wrote before failing is no result
                    return o == null || o.allowedFailure() ? null : o.outputs().get(key);
                },
                fn -> status(t, g, fn));
    }

    /**
     * {@code success()}, {@code failure()}, {@code cancelled()}, {@code always()} as the task sees them now. An allowed
     * failure counts as a success for both: it does not fail the run, so it is no failure to react to (as in GitLab).
     */
    Object status(TaskRun t, PipeGroup g, String function) {
        synchronized (run) {
            return switch (function) {
                case "success" -> t.task.upstream().stream().map(tasks::get).allMatch(u -> u == null
                        || u.passed() || (g != null && g.contains(u)));
                case "failure" -> run.graph.transitiveUpstream(t.name()).stream().map(tasks::get).anyMatch(u -> u != null
                        && u.failsRun());
                case "cancelled" -> run.cancelling();
                case "always" -> true;
                default -> Unknown.VALUE;
            };
        }
    }

    /**
     * A matrix cell's values as environment variables, as GitLab's {@code parallel: matrix} gives them: one
     * {@code MATRIX_<KEY>} per axis, the key upper-cased and every character other than A–Z and 0–9 made {@code _}
     * ({@code jdk} → {@code MATRIX_JDK}, {@code node-version} → {@code MATRIX_NODE_VERSION}); none outside a matrix.
     */
    private static Map<String, String> matrixEnv(Task task) {
        Map<String, String> env = new LinkedHashMap<>();
        task.matrix().forEach((key, value) -> env.put("MATRIX_" + key.toUpperCase(java.util.Locale.ROOT)
                .replaceAll("[^A-Z0-9]", "_"), value));
        return env;
    }

    /**
     * One launch of {@code steps}: scripts and env rendered, the declared secrets given (a missing one is reported
     * to {@code note} and left unset) and the MATRIX_* and STOKER_* variables set.
     */
    TaskLaunch launch(TaskRun t, PipeGroup g, int attempt, boolean piped, List<Step.Sh> steps, Consumer<String> note)
            throws ExpressionException {
        Task task = t.task;
        TaskScope scope = scope(t, g);
        List<String> scripts = new ArrayList<>();
        for (Step.Sh sh : steps) scripts.add(scope.render(sh.script()));
        Map<String, String> env = new LinkedHashMap<>(request.parameters().asEnv());
        env.putAll(matrixEnv(task)); // under the env the Jobfile writes: a task's own MATRIX_JDK wins
        for (var e : job.env().entrySet()) env.put(e.getKey(), scope.withoutEnv().render(e.getValue()));
        for (var e : task.env().entrySet()) env.put(e.getKey(), scope.withoutEnv().render(e.getValue()));
        Set<String> given = new LinkedHashSet<>();
        for (String s : declaredSecrets(task)) {
            String value = request.secrets().get(s);
            if (value != null) {
                env.put(s, value);
                given.add(s);
            } else note.accept("secret '" + s + "' is declared but was not given; it is left unset");
        }
        env.putAll(request.context().environment()); // CI=true, STOKER_RUN_KEY, STOKER_BRANCH, STOKER_COMMIT, …
        String key = request.context().key();
        env.put("STOKER_TASK", task.name());
        env.put("STOKER_RUN", key);
        env.put("STOKER_JOB", job.name());
        env.put("STOKER_WORKSPACE", request.workspace().toString());
        env.put("STOKER_ATTEMPT", Integer.toString(attempt));
        for (var e : env.entrySet()) {
            // the JVM refuses it with its own words (and the value in them, which may be a secret's)
            if (e.getValue().indexOf('\0') >= 0) throw new StepRefused("environment variable " + e.getKey()
                    + " holds a NUL character, which no process environment can carry");
        }
        String agent = task.agent() != null ? task.agent() : job.agent();
        return new TaskLaunch(key, task.name(), attempt, scripts, request.workspace(), env, piped, agent, given,
                task.container(), task.container() == null ? null : RunLogins.of(request, task.container().credentials()));
    }
}
