package io.stoker.server.run;

import io.stoker.engine.run.TaskState;

import java.time.Instant;
import java.util.Map;

/** A task's stored state within a run. */
public record TaskRow(String name, TaskState status, Integer exitCode, int attempts, Map<String, Object> outputs,
                      String reason, String logPath, String artifactPath, Instant startedAt, Instant finishedAt) {
}
