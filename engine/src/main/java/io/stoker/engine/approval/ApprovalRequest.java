package io.stoker.engine.approval;

import java.time.Instant;
import java.util.List;

/**
 * A gate waiting for a decision.
 *
 * @param approvers user or role names allowed to decide, as written in the Jobfile; empty for anyone who may
 *                  change the run
 * @param deadline  when the gate rejects on its own
 */
public record ApprovalRequest(String runKey, String project, String job, String task, String question,
                              List<String> approvers, Instant deadline) {

    public ApprovalRequest {
        approvers = List.copyOf(approvers);
    }
}
