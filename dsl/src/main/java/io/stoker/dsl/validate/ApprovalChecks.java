package io.stoker.dsl.validate;

import io.stoker.dsl.draft.ApprovalDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.model.Approval;

import java.util.List;
import java.util.regex.Pattern;

/** Approval gates: a question, plausible approver names, a positive timeout, and no gate inside a pipe. */
final class ApprovalChecks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");

    private ApprovalChecks() {
    }

    static void check(List<TaskDraft> tasks, Problems problems) {
        for (TaskDraft task : tasks) {
            ApprovalDraft gate = task.approval;
            if (gate == null) continue;
            String owner = "the approval of task '" + task.name + "'";
            if (gate.question() == null || gate.question().isBlank()) {
                problems.error(gate.pos(), owner + " needs a question, e.g. 'Deploy to prod?'");
            }
            for (Located<String> a : gate.approvers()) {
                if (a.value() == null || !NAME.matcher(a.value()).matches()) {
                    problems.error(a.pos(), owner + ": approver '" + a.value()
                            + "' is not a user or role name (letters, digits, '.', '_', '@', '-')");
                }
            }
            if (gate.timeout() != null && millis(gate.timeout().value()) <= 0) {
                problems.error(gate.timeout().pos(), owner + ": timeout '" + gate.timeout().value()
                        + "' must be a positive duration like '2h', '30m', '1h30m' or '90s'");
            }
            boolean reader = !task.inputs.isEmpty();
            boolean writer = tasks.stream().anyMatch(t -> t.inputs.stream().anyMatch(i -> task.name.equals(i.value())));
            if (reader || writer) {
                problems.error(gate.pos(), owner + ": a task joined by input cannot wait for approval (its pipe "
                        + "starts together); put the approval on a task before the pipe");
            }
        }
    }

    /** The model's gate; only called on a checked draft. */
    static Approval model(ApprovalDraft gate) {
        if (gate == null) return null;
        long timeout = gate.timeout() == null ? Approval.DEFAULT_TIMEOUT_MILLIS : millis(gate.timeout().value());
        return new Approval(gate.question(), gate.approvers().stream().map(Located::value).toList(), timeout);
    }

    /** {@code 2h}, {@code 30m}, {@code 1h30m}, {@code 90s} in milliseconds; -1 when it is none of these. */
    static long millis(String text) {
        return Durations.millis(text);
    }
}
