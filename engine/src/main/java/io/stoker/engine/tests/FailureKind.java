package io.stoker.engine.tests;

/** How a test case did not pass: JUnit's {@code <failure>} (an assertion) or {@code <error>} (an exception). */
public enum FailureKind {
    FAILURE("failure"),
    ERROR("error");

    private final String label;

    FailureKind(String label) {
        this.label = label;
    }

    /** The word stored and shown: {@code failure} or {@code error}. */
    public String label() {
        return label;
    }

    /** The kind a label names, or null. */
    public static FailureKind ofLabel(String label) {
        for (FailureKind k : values()) if (k.label.equals(label)) return k;
        return null;
    }
}
