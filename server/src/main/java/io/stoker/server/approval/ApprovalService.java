package io.stoker.server.approval;

import io.stoker.engine.approval.ApprovalRequest;
import io.stoker.engine.approval.Decision;
import io.stoker.server.Refused;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.auth.Principal;
import io.stoker.server.auth.Role;
import io.stoker.engine.run.TaskState;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Approves or rejects a waiting gate on behalf of a user, and records who did in the audit log. Who may decide:
 * a user named among the gate's approvers, a user whose role is named there (a role includes the ones above it:
 * {@code developer} lets admins decide too), anyone who may change the run when the gate names nobody, and admins
 * always. Blocking (JDBC): call it from a worker thread.
 */
public final class ApprovalService {
    static final int MAX_COMMENT = 2000;

    private final RunService runs;
    private final OpenGates gates;
    private final AuditLog audit;
    private final ElsewhereGates elsewhere;

    public ApprovalService(RunService runs, OpenGates gates, AuditLog audit) {
        this(runs, gates, audit, null);
    }

    /** @param elsewhere hands a decision to the server of a cluster whose run waits at the gate; null on H2 */
    public ApprovalService(RunService runs, OpenGates gates, AuditLog audit, ElsewhereGates elsewhere) {
        this.runs = runs;
        this.gates = gates;
        this.audit = audit;
        this.elsewhere = elsewhere;
    }

    /** The gates waiting on the other servers of a cluster. */
    @FunctionalInterface
    public interface ElsewhereGates {
        /** Sends the decision to the server holding the run. */
        void decide(String run, String task, Decision decision);
    }

    /** What was decided, as the API answers it. */
    public record Decided(String run, String task, Decision.Verdict verdict, String by, String comment) {
    }

    public Decided decide(Principal who, String runKey, String task, Decision.Verdict verdict, String comment)
            throws SQLException {
        RunRow run = runs.get(runKey);
        var row = run.tasks().stream().filter(t -> t.name().equals(task)).findFirst()
                .orElseThrow(() -> new Refused.NotFound("no task '" + task + "' in run " + runKey));
        var here = gates.waiting(runKey, task);
        // in a cluster the gate may wait on the server holding the run: its row says so, and who may decide
        boolean there = here.isEmpty() && elsewhere != null && row.status() == TaskState.WAITING
                && row.approval() != null && row.approval().verdict() == null;
        if (here.isEmpty() && !there) {
            throw new Refused.Conflict("not waiting", "task '" + task + "' of run " + runKey
                    + " is not waiting for approval (" + where(row.status()) + ")");
        }
        List<String> approvers = here.map(ApprovalRequest::approvers).orElseGet(() -> row.approval().approvers());
        String question = here.map(ApprovalRequest::question).orElseGet(() -> row.approval().question());
        if (!mayDecide(who, approvers)) {
            throw new Refused.Forbidden("you are not among the approvers of task '" + task + "'",
                    List.of("approvers: " + String.join(", ", approvers), "admins may always decide"));
        }
        String text = comment == null ? "" : comment.strip();
        if (text.length() > MAX_COMMENT) {
            throw new Refused.Invalid("the comment is too long", List.of("comment: at most " + MAX_COMMENT + " characters"));
        }
        // it becomes a line of the task's log and a cell of `stoker status`: a line break would forge lines there
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new Refused.Invalid("the comment is one line of text",
                    List.of("comment: no line breaks, tabs or other control characters"));
        }
        Decision decision = new Decision(verdict, who.username(), text);
        if (there) {
            elsewhere.decide(runKey, task, decision);
        } else if (!gates.decide(runKey, task, decision)) {
            throw new Refused.Conflict("not waiting", "task '" + task + "' of run " + runKey + " was decided meanwhile");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("project", run.project());
        detail.put("job", run.job());
        detail.put("question", question);
        if (!text.isEmpty()) detail.put("comment", text);
        audit.record(who.username(), "approval." + verdict.label(), runKey + "/" + task, detail);
        return new Decided(runKey, task, verdict, who.username(), text);
    }

    static boolean mayDecide(Principal who, List<String> approvers) {
        if (who.role() == Role.ADMIN || approvers.isEmpty()) return true;
        for (String a : approvers) {
            if (a.equals(who.username())) return true;
            Role named = switch (a.toLowerCase(Locale.ROOT)) {
                case "admin" -> Role.ADMIN;
                case "developer" -> Role.DEVELOPER;
                case "viewer" -> Role.VIEWER;
                default -> null;
            };
            if (named != null && who.role().atLeast(named)) return true;
        }
        return false;
    }

    /** Where a task is, in words: {@code it succeeded}, {@code it was cancelled}, {@code it is running}. */
    static String where(TaskState state) {
        return switch (state) {
            case SUCCEEDED, FAILED -> "it " + state.label();
            case TIMEDOUT -> "it timed out";
            case CANCELLED, SKIPPED -> "it was " + state.label();
            default -> "it is " + state.label();
        };
    }
}
