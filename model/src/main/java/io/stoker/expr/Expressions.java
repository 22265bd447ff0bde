package io.stoker.expr;

/**
 * Entry point of the expression language used by {@code when} conditions and {@code ${{ }}} templates.
 * In a template, {@code $${{ }}} stands for the literal text {@code ${{ }}}.
 * The grammar is ANTLR 4 ({@code Expr.g4}); evaluation is pure and never touches Groovy.
 */
public final class Expressions {
    private Expressions() {
    }

    /** Parses one expression, e.g. {@code params.DEPLOY && run.branch == "main"}. */
    public static Expression parse(String source) throws ExpressionException {
        return ExpressionCompiler.compile(source);
    }

    /** Parses a text holding zero or more {@code ${{ expression }}} parts. */
    public static Template template(String text) throws ExpressionException {
        if (text == null) {
            throw new ExpressionException("no template text", 0);
        }
        return ParsedTemplate.parse(text);
    }

    /**
     * A value as text, the way a template renders it: null is empty, numbers print plainly ({@code 1.50} as
     * {@code 1.5}), lists join with commas, {@link Unknown#VALUE} is {@code <unknown>}.
     */
    public static String render(Object value) {
        return Values.render(Values.normalize(value));
    }

    /**
     * The truth of a value as a condition sees it: null, false, "", 0 and an empty list are false;
     * {@link Unknown#VALUE} stays unknown. Boolean.TRUE, Boolean.FALSE or {@link Unknown#VALUE}.
     */
    public static Object truth(Object value) {
        return Values.truth(Values.normalize(value));
    }
}
