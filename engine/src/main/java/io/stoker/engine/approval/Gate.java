package io.stoker.engine.approval;

import java.time.Instant;
import java.util.List;

/**
 * A task's approval gate within a run, as persisted and reported.
 *
 * @param deadline  when it rejects on its own
 * @param verdict   null while it waits
 * @param decidedBy who decided; null while it waits and when nobody did (a timeout)
 * @param decidedAt when it was decided, null while it waits
 * @param comment   the decider's words (or why it was rejected without one); empty for none
 */
public record Gate(String question, List<String> approvers, Instant deadline, Decision.Verdict verdict,
                   String decidedBy, Instant decidedAt, String comment) {

    public Gate {
        approvers = List.copyOf(approvers);
        comment = comment == null ? "" : comment;
    }

    public static Gate waiting(String question, List<String> approvers, Instant deadline) {
        return new Gate(question, approvers, deadline, null, null, null, "");
    }

    public boolean isWaiting() {
        return verdict == null;
    }

    public Gate decided(Decision d, Instant at) {
        return new Gate(question, approvers, deadline, d.verdict(), d.by(), at, d.comment());
    }
}
