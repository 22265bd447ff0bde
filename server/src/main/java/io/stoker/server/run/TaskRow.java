package io.stoker.server.run;

import io.stoker.engine.approval.Gate;
import io.stoker.engine.image.ImageDigest;
import io.stoker.engine.tests.TestSummary;
import io.stoker.engine.run.TaskState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A task's stored state within a run; {@code approval} is its gate once opened, else null; {@code images} the
 * images it ran in and pushed, with their digests; {@code allowedFailure} when it failed or timed out and was allowed
 * to (its run went on as after a success); {@code tests} what its test reports said, or null.
 */
public record TaskRow(String name, TaskState status, Integer exitCode, int attempts, Map<String, Object> outputs,
                      String reason, String logPath, String artifactPath, Instant startedAt, Instant finishedAt,
                      Gate approval, List<ImageDigest> images, boolean allowedFailure, TestSummary tests) {

    public TaskRow {
        images = images == null ? List.of() : List.copyOf(images);
    }
}
