package io.stoker.engine.run;

import io.stoker.expr.EvalContext;
import io.stoker.expr.ExpressionException;
import io.stoker.expr.Expressions;
import io.stoker.model.Task;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a task's expressions see: {@code params}, {@code env} (the job's and task's env, rendered), {@code run},
 * {@code matrix}, {@code secrets} (only those the job or task declares), {@code outputs} and status functions.
 */
final class TaskScope implements EvalContext {
    private final Task task;
    private final Map<String, String> jobEnv;
    private final Function<String, Object> params;
    private final RunContext run;
    private final Function<String, String> secrets;
    private final BiFunction<String, String, Object> outputs;
    private final Function<String, Object> status;
    private final boolean renderingEnv;

    TaskScope(Task task, Map<String, String> jobEnv, Function<String, Object> params, RunContext run,
              Function<String, String> secrets, BiFunction<String, String, Object> outputs,
              Function<String, Object> status) {
        this(task, jobEnv, params, run, secrets, outputs, status, false);
    }

    private TaskScope(Task task, Map<String, String> jobEnv, Function<String, Object> params, RunContext run,
                      Function<String, String> secrets, BiFunction<String, String, Object> outputs,
                      Function<String, Object> status, boolean renderingEnv) {
        this.task = task;
        this.jobEnv = jobEnv;
        this.params = params;
        this.run = run;
        this.secrets = secrets;
        this.outputs = outputs;
        this.status = status;
        this.renderingEnv = renderingEnv;
    }

    @Override
    public Object variable(String root, String name) {
        return switch (root) {
            case "params" -> params.apply(name);
            case "env" -> renderingEnv ? null : env(name);
            case "run" -> run.variable(name);
            case "matrix" -> task.matrix().get(name);
            case "secrets" -> secrets.apply(name);
            default -> null;
        };
    }

    @Override
    public Object output(String taskName, String key) {
        return outputs.apply(taskName, key);
    }

    @Override
    public Object status(String function) {
        return status.apply(function);
    }

    /** Renders a template against this scope. */
    String render(String text) throws ExpressionException {
        if (!text.contains("${{")) return text;
        return Expressions.template(text).render(this);
    }

    /** An env value rendered; env values cannot refer to other env values (no recursion to untangle). */
    private Object env(String name) {
        String raw = task.env().containsKey(name) ? task.env().get(name) : jobEnv.get(name);
        if (raw == null) return null;
        try {
            return withoutEnv().render(raw);
        } catch (ExpressionException e) {
            return raw;
        }
    }

    /**
     * The scope an approval's question is rendered in: {@code params}, {@code run}, {@code matrix}, outputs and status,
     * but neither {@code secrets} nor {@code env} (which may carry one): a question is shown to everyone who sees the
     * run, in its events and the audit log, where no masking reaches.
     */
    TaskScope withoutSecrets() {
        return new TaskScope(task, Map.of(), params, run, name -> null, outputs, status, true);
    }

    TaskScope withoutEnv() {
        return new TaskScope(task, jobEnv, params, run, secrets, outputs, status, true);
    }
}
