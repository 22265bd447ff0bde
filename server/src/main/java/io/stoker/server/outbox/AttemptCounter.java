package io.stoker.server.outbox;

/** Told of every delivery attempt's outcome (the metrics count them by kind and state). */
@FunctionalInterface
public interface AttemptCounter {
    AttemptCounter NONE = (kind, state) -> { };

    /** {@code state}: what the attempt left the delivery in (pending: it is retried). */
    void attempted(String kind, DeliveryState state);
}
