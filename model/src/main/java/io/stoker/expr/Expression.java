package io.stoker.expr;

import java.util.Set;

/** A parsed expression. Immutable and thread-safe. */
public interface Expression {

    /** The text it was parsed from. */
    String source();

    /**
     * The value: a String, a Boolean, a {@link java.math.BigDecimal}, a {@link java.util.List}, null, or
     * {@link Unknown#VALUE} when it depends on something not known yet (dry-run).
     */
    Object evaluate(EvalContext context);

    /**
     * Evaluates it as a {@code when} condition: truthiness of the value, and an implicit {@code success() && …}
     * unless the expression calls a status function itself. Boolean.TRUE, Boolean.FALSE or {@link Unknown#VALUE}.
     */
    Object condition(EvalContext context);

    /** Every {@code params.X}, {@code outputs.t.k}, … the expression reads, for validation. */
    Set<Reference> references();

    /** Whether it calls {@code success()}, {@code failure()}, {@code always()} or {@code cancelled()}. */
    boolean usesStatusFunction();
}
