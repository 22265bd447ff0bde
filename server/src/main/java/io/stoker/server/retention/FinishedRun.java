package io.stoker.server.retention;

import java.time.Instant;

/** A finished run of a job, as retention weighs it. */
public record FinishedRun(String key, long number, Instant finishedAt) {
}
