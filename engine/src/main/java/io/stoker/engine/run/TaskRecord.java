package io.stoker.engine.run;

import io.stoker.engine.approval.Gate;
import io.stoker.engine.image.ImageDigest;
import io.stoker.engine.tests.TestSummary;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A task's state within a run, as persisted and as reported at the end.
 *
 * @param outcome   null until the task ended
 * @param attempts  attempts started so far
 * @param outputs   named outputs of the last attempt ({@code $STOKER_OUTPUT}), secret values masked
 * @param log       where the task's log is kept, null before it was opened
 * @param artifacts the task's zip (published or staged), null when it has none
 * @param approval  its approval gate once it opened (waiting or decided), else null
 * @param images    the images it ran in (pulled digests) and pushed, in the order they were used
 * @param allowedFailure it failed or timed out, and its Jobfile allows it to: the run went on as after a success
 * @param waitingFor what its attempt waits for before the executor starts it (state {@code starting}), else null
 * @param tests     what its last attempt's test reports said, secret values masked; null when none were read
 */
public record TaskRecord(String name, TaskState state, Outcome outcome, int attempts, Map<String, String> outputs,
                         String log, String artifacts, Instant startedAt, Instant endedAt, Gate approval,
                         List<ImageDigest> images, boolean allowedFailure, String waitingFor, TestSummary tests) {

    public TaskRecord {
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        images = images == null ? List.of() : List.copyOf(images);
    }

    /** A record of a task not waiting for a place to run, without test reports. */
    public TaskRecord(String name, TaskState state, Outcome outcome, int attempts, Map<String, String> outputs,
                      String log, String artifacts, Instant startedAt, Instant endedAt, Gate approval,
                      List<ImageDigest> images, boolean allowedFailure) {
        this(name, state, outcome, attempts, outputs, log, artifacts, startedAt, endedAt, approval, images,
                allowedFailure, null, null);
    }

    /** A record without images. */
    public TaskRecord(String name, TaskState state, Outcome outcome, int attempts, Map<String, String> outputs,
                      String log, String artifacts, Instant startedAt, Instant endedAt, Gate approval) {
        this(name, state, outcome, attempts, outputs, log, artifacts, startedAt, endedAt, approval, List.of(), false, null, null);
    }

    public static TaskRecord pending(String name) {
        return new TaskRecord(name, TaskState.PENDING, null, 0, Map.of(), null, null, null, null, null, List.of(), false, null, null);
    }

    /** The last attempt's exit code, or null. */
    public Integer exitCode() {
        return outcome == null ? null : outcome.exitCode();
    }

    TaskRecord with(TaskState newState) {
        return new TaskRecord(name, newState, outcome, attempts, outputs, log, artifacts, startedAt, endedAt, approval,
                images, allowedFailure && newState.isFailure(), newState == TaskState.STARTING ? waitingFor : null,
                tests);
    }
}
