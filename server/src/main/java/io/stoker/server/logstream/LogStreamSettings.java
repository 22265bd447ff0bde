package io.stoker.server.logstream;

import io.stoker.server.outbox.OutboxSettings;

import java.time.Duration;
import java.util.Map;

/**
 * How logs are streamed: retries, backoff and the window come from the outbox's settings (a receiver failing for
 * longer than the window is given up); {@code threads} bounds the streams sent at once (each holds a thread while
 * its run's log is open); an HTTP request is ended and a new one started after {@code maxRequest}, which bounds what
 * a drop makes the sender send again.
 */
public record LogStreamSettings(OutboxSettings outbox, int threads, Duration maxRequest) {
    public static final int DEFAULT_THREADS = 16;
    public static final Duration DEFAULT_MAX_REQUEST = Duration.ofMinutes(10);

    /** The outbox's settings and {@code STOKER_LOG_STREAM_THREADS}, {@code STOKER_LOG_STREAM_MAX_REQUEST}. */
    public static LogStreamSettings fromEnv(Map<String, String> env) {
        String t = env.get("STOKER_LOG_STREAM_THREADS");
        int threads;
        try {
            threads = t == null || t.isBlank() ? DEFAULT_THREADS : Integer.parseInt(t.trim());
        } catch (NumberFormatException e) {
            threads = -1;
        }
        if (threads < 1 || threads > 1000) {
            throw new IllegalArgumentException("STOKER_LOG_STREAM_THREADS must be a number from 1 to 1000, was '" + t + "'");
        }
        return new LogStreamSettings(OutboxSettings.fromEnv(env), threads,
                OutboxSettings.get(env, "STOKER_LOG_STREAM_MAX_REQUEST", DEFAULT_MAX_REQUEST));
    }
}
