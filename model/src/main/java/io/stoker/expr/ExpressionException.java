package io.stoker.expr;

/** A malformed expression; {@code offset} is the 0-based character offset of the problem in the source. */
public class ExpressionException extends Exception {
    private final int offset;

    public ExpressionException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
