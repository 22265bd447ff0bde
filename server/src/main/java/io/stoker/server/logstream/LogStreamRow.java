package io.stoker.server.logstream;

import io.stoker.server.outbox.DeliveryState;

import java.time.Instant;

/**
 * One run's log stream to one receiver, as stored: {@code acked} is the byte offset in the run's combined log up to
 * which the receiver acknowledged it; {@code progressAt} when it last moved (or the stream was made).
 */
public record LogStreamRow(long id, String runKey, LogTarget target, long acked, DeliveryState state, int attempts,
                           Integer lastStatus, String lastError, Instant progressAt, Instant createdAt) {
}
