package io.stoker.model;

import java.util.List;

/**
 * A gate before a task's first step: the run waits there until one of {@code approvers} approves (the task then
 * runs) or rejects, or {@code timeoutMillis} pass (a timeout rejects).
 *
 * @param question      what the deciders are asked, e.g. "Deploy to prod?"
 * @param approvers     user names or role names ({@code viewer}, {@code developer}, {@code admin}) who may decide;
 *                      empty means any user who may change the run
 * @param timeoutMillis how long the gate waits before it rejects on its own; always positive
 */
public record Approval(String question, List<String> approvers, long timeoutMillis) {

    /** How long a gate waits when the Jobfile gives no timeout. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 24 * 3_600_000L;

    public Approval {
        approvers = List.copyOf(approvers);
    }
}
