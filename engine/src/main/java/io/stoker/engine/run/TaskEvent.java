package io.stoker.engine.run;

import java.time.Instant;

/**
 * A task changed state; {@code outcome} is set once it ended, {@code attempt} counts from 1 while running;
 * {@code allowedFailure} when it ended failed or timed out and is allowed to ({@link TaskRecord#allowedFailure()});
 * {@code waitingFor} what it waits for while {@code starting} ({@link TaskRecord#waitingFor()}), else null.
 */
public record TaskEvent(String runKey, String task, TaskState state, int attempt, Outcome outcome, Instant time,
                        boolean allowedFailure, String waitingFor) implements EngineEvent {
}
