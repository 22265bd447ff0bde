package io.stoker.server.outbox;

import java.time.Instant;
import java.util.List;

/**
 * One message in the outbox, as shown by the API: never its credentials.
 *
 * @param target      the receiver's URL without credentials
 * @param lastStatus  the HTTP status of the last attempt, or null (none yet, or no answer)
 * @param history     every attempt's outcome, oldest first
 * @param signed      whether each attempt carries the body's signature ({@link Signature}); its key is not shown
 */
public record Delivery(long id, String runKey, String kind, String target, String payload, int attempts,
                       Instant nextAttemptAt, DeliveryState state, Integer lastStatus, String lastError,
                       Instant createdAt, List<Attempt> history, boolean signed) {

    /** One try: when, the HTTP status (null when there was no answer) and the error, if any. */
    public record Attempt(int attempt, Instant at, Integer status, String error) {
    }
}
