package io.stoker.server.forge;

import io.stoker.server.outbox.OutboxSettings;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How long {@link CommitStatuses} tries again a status whose token could not be read (the secret store or Vault
 * failed): the first wait is {@code backoff}, each next one twice as long up to {@code maxBackoff}, and once the
 * waits add up to {@code window} the status is given up. No jitter: the tries run one after another on one thread.
 */
public record TokenRetry(Duration backoff, Duration maxBackoff, Duration window) {
    public static final TokenRetry DEFAULTS = new TokenRetry(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofHours(1));

    /**
     * The defaults overridden by {@code STOKER_COMMIT_STATUS_BACKOFF}, {@code STOKER_COMMIT_STATUS_MAX_BACKOFF} and
     * {@code STOKER_COMMIT_STATUS_WINDOW} ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601).
     */
    public static TokenRetry fromEnv(Map<String, String> env) {
        TokenRetry d = DEFAULTS;
        return new TokenRetry(OutboxSettings.get(env, "STOKER_COMMIT_STATUS_BACKOFF", d.backoff()),
                OutboxSettings.get(env, "STOKER_COMMIT_STATUS_MAX_BACKOFF", d.maxBackoff()),
                OutboxSettings.get(env, "STOKER_COMMIT_STATUS_WINDOW", d.window()));
    }

    /**
     * The wait before the next try after {@code failures} failed tries (1 = the first read failed) that have
     * already waited {@code waited} in all; empty once {@code waited} has reached the window: give up.
     */
    public Optional<Duration> next(int failures, Duration waited) {
        if (waited.compareTo(window) >= 0) return Optional.empty();
        return Optional.of(OutboxSettings.doubling(backoff, maxBackoff, failures)); // the outbox's schedule
    }
}
