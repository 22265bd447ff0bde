package io.stoker.engine.run;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** How a task ended. "The build failed" is an outcome, not an exception. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Outcome.Succeeded.class, name = "succeeded"),
        @JsonSubTypes.Type(value = Outcome.Failed.class, name = "failed"),
        @JsonSubTypes.Type(value = Outcome.TimedOut.class, name = "timedout"),
        @JsonSubTypes.Type(value = Outcome.Cancelled.class, name = "cancelled"),
        @JsonSubTypes.Type(value = Outcome.Skipped.class, name = "skipped")})
public sealed interface Outcome {

    /** The final task state this outcome stands for. */
    TaskState state();

    /** The exit code of the last attempt, or null when no process ended on its own. */
    default Integer exitCode() {
        return null;
    }

    /** Why, in a few words, for people; empty for success. */
    String reason();

    /**
     * Whether a failure's {@code reason} says its attempt started nothing: the executor could not start it (no agent
     * matches, no container engine) or its scripts could not be rendered. Its steps never ran.
     */
    static boolean startedNothing(String reason) {
        return reason != null && (reason.startsWith(ProcessAttempt.CANNOT_START)
                || reason.startsWith(ProcessAttempt.TEMPLATE_ERROR));
    }

    record Succeeded() implements Outcome {
        public TaskState state() { return TaskState.SUCCEEDED; }
        public Integer exitCode() { return 0; }
        public String reason() { return ""; }
    }

    record Failed(Integer exitCode, String reason) implements Outcome {
        public TaskState state() { return TaskState.FAILED; }
    }

    record TimedOut(String reason) implements Outcome {
        public TaskState state() { return TaskState.TIMEDOUT; }
    }

    record Cancelled(String reason) implements Outcome {
        public TaskState state() { return TaskState.CANCELLED; }
    }

    record Skipped(String reason) implements Outcome {
        public TaskState state() { return TaskState.SKIPPED; }
    }
}
