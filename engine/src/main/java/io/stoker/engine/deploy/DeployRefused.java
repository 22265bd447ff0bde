package io.stoker.engine.deploy;

/** A deployment that cannot be done, and why in the domain's terms; nothing was started or recorded. */
public final class DeployRefused extends RuntimeException {
    /** What is wrong: something named is not there, or the state forbids it. */
    public enum Kind { NOT_FOUND, CONFLICT, INVALID }

    private final Kind kind;

    public DeployRefused(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
