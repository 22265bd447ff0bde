package io.stoker.server.logstream;

/** Sends one run's log to one kind of receiver (HTTP, Kafka), from an acknowledged offset to the log's end. */
public interface LogShipper extends AutoCloseable {

    /** The receiver acknowledged the log up to {@code offset}; {@code status} is its HTTP status, if it has one. */
    interface Progress {
        void acked(long offset, Integer status) throws Exception;
    }

    /** Whether this shipper sends to {@code target}. */
    boolean sends(LogTarget target);

    /**
     * Sends the run's log from {@code from} on, reporting every acknowledged offset to {@code progress}; returns once
     * the whole log is acknowledged. Throws {@link LogStreamRefused} when the receiver refused for good, anything
     * else for a failure worth another try (from the last acknowledged offset).
     */
    void ship(String runKey, LogTarget target, long from, LogSource log, Progress progress) throws Exception;

    @Override
    void close();
}
