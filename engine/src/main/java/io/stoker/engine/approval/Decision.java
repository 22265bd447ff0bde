package io.stoker.engine.approval;

/**
 * What someone decided at a gate.
 *
 * @param by      the user who decided, null when nobody did (the gate timed out, nobody can approve here)
 * @param comment why, as the decider wrote it; empty for none
 */
public record Decision(Verdict verdict, String by, String comment) {

    /** Approve lets the task run; reject fails it, like a failed build. */
    public enum Verdict {
        APPROVED, REJECTED;

        /** Lower-case name as shown to users and in JSON. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Decision {
        comment = comment == null ? "" : comment;
    }

    public static Decision approved(String by, String comment) {
        return new Decision(Verdict.APPROVED, by, comment);
    }

    public static Decision rejected(String by, String comment) {
        return new Decision(Verdict.REJECTED, by, comment);
    }
}
