package io.stoker.server.run;

import io.stoker.engine.approval.Gate;
import io.stoker.engine.run.TaskState;

import java.time.Instant;
import java.util.Map;

/** A task's stored state within a run; {@code approval} is its gate once opened, else null. */
public record TaskRow(String name, TaskState status, Integer exitCode, int attempts, Map<String, Object> outputs,
                      String reason, String logPath, String artifactPath, Instant startedAt, Instant finishedAt,
                      Gate approval) {
}
