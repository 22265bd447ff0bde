package io.stoker.expr;

/**
 * Carries an {@link ExpressionException} out of ANTLR callbacks, which cannot throw checked exceptions.
 * It never leaves the package: {@link ExpressionCompiler} unwraps it.
 */
final class ExpressionFailure extends RuntimeException {
    private final transient ExpressionException cause;

    ExpressionFailure(String message, int offset) {
        super(message, null, false, false);
        this.cause = new ExpressionException(message, offset);
    }

    ExpressionException exception() {
        return cause;
    }
}
