package io.stoker.expr;

import java.util.Set;

/** An expression parsed once and evaluated any number of times, from any thread. */
record ParsedExpression(String source, Node root, Set<Reference> references, boolean usesStatusFunction)
        implements Expression {
    private static final Node IMPLICIT_SUCCESS = new Node.StatusCall("success");

    @Override
    public Object evaluate(EvalContext context) {
        return root.evaluate(context);
    }

    @Override
    public Object condition(EvalContext context) {
        if (usesStatusFunction) {
            return Values.truth(evaluate(context));
        }
        // The implicit success() comes first, so a failed upstream's outputs are never read.
        return new Node.And(IMPLICIT_SUCCESS, root).evaluate(context);
    }

    @Override
    public String toString() {
        return source;
    }
}
