package io.stoker.model;

/** A position in a Jobfile, 1-based; {@link #NONE} when the position is not known. */
public record Pos(int line, int col) {
    public static final Pos NONE = new Pos(0, 0);

    public boolean known() {
        return line > 0;
    }

    @Override
    public String toString() {
        return line + ":" + col;
    }
}
