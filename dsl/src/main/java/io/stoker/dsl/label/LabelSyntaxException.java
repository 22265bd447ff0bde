package io.stoker.dsl.label;

/** A label expression that does not parse; {@link #column()} is 1-based within the expression's text. */
public final class LabelSyntaxException extends Exception {
    private final int column;

    public LabelSyntaxException(String message, int column) {
        super(message, null, false, false);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
