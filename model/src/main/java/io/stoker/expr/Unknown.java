package io.stoker.expr;

/** A value not known before running; logic over it is three-valued ({@code false && unknown} is false). */
public enum Unknown {
    VALUE;

    @Override
    public String toString() {
        return "<unknown>";
    }
}
