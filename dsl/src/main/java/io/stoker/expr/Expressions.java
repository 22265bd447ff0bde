package io.stoker.expr;

/**
 * Entry point of the expression language used by {@code when} conditions and {@code ${{ }}} templates.
 * The grammar is ANTLR 4 ({@code Expr.g4}); evaluation is pure and never touches Groovy.
 */
public final class Expressions {
    private Expressions() {
    }

    /** Parses one expression, e.g. {@code params.DEPLOY && run.branch == "main"}. */
    public static Expression parse(String source) throws ExpressionException {
        throw new UnsupportedOperationException("expression language not built yet");
    }

    /** Parses a text holding zero or more {@code ${{ expression }}} parts. */
    public static Template template(String text) throws ExpressionException {
        throw new UnsupportedOperationException("expression language not built yet");
    }
}
