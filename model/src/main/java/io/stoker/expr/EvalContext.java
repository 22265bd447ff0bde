package io.stoker.expr;

/** What an expression can see. Implementations answer {@link Unknown#VALUE} for what is not known yet. */
public interface EvalContext {

    /** {@code root.name} where root is params, env, run, matrix or secrets; null when absent. */
    Object variable(String root, String name);

    /** {@code outputs.task.key}; null when the task wrote no such key. */
    Object output(String task, String key);

    /** {@code success()}, {@code failure()} or {@code cancelled()}: a Boolean or {@link Unknown#VALUE}. */
    Object status(String function);
}
