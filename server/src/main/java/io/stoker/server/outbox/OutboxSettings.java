package io.stoker.server.outbox;

import java.time.Duration;
import java.util.Map;

/**
 * How the outbox retries: the first retry waits {@code backoff}, each next one twice as long (with up to 50%
 * random jitter) up to {@code maxBackoff}; a delivery not accepted within {@code window} of being queued expires.
 * {@code tick} is how often due deliveries are looked for.
 */
public record OutboxSettings(Duration backoff, Duration maxBackoff, Duration window, Duration tick, Duration timeout) {
    public static final OutboxSettings DEFAULTS = new OutboxSettings(Duration.ofSeconds(2), Duration.ofMinutes(5),
            Duration.ofHours(1), Duration.ofMillis(500), Duration.ofSeconds(10));

    /**
     * The defaults overridden by {@code STOKER_OUTBOX_BACKOFF}, {@code STOKER_OUTBOX_MAX_BACKOFF},
     * {@code STOKER_OUTBOX_WINDOW}, {@code STOKER_OUTBOX_TICK}, {@code STOKER_OUTBOX_TIMEOUT} (ISO-8601 like
     * {@code PT1H}, or {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}).
     */
    public static OutboxSettings fromEnv(Map<String, String> env) {
        OutboxSettings d = DEFAULTS;
        return new OutboxSettings(get(env, "STOKER_OUTBOX_BACKOFF", d.backoff()),
                get(env, "STOKER_OUTBOX_MAX_BACKOFF", d.maxBackoff()), get(env, "STOKER_OUTBOX_WINDOW", d.window()),
                get(env, "STOKER_OUTBOX_TICK", d.tick()), get(env, "STOKER_OUTBOX_TIMEOUT", d.timeout()));
    }

    /** A duration setting from the environment ({@code PT1H}, {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}). */
    public static Duration get(Map<String, String> env, String name, Duration dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return dflt;
        v = v.trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) return Duration.parse(v);
            if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration like 500ms, 10s, 2m or 1h, was '" + v + "'");
        }
    }

    /** The wait before retry number {@code attempts} (1 = first retry), jittered by {@code random} in [0,1). */
    public Duration delay(int attempts, double random) {
        long d = doubling(backoff, maxBackoff, attempts).toMillis();
        return Duration.ofMillis(d + (long) (d * 0.5 * random));
    }

    /** {@code backoff} doubled for each attempt after the first, at most {@code max} (no jitter). */
    public static Duration doubling(Duration backoff, Duration max, int attempts) {
        long d = backoff.toMillis();
        for (int i = 1; i < attempts && d < max.toMillis(); i++) d *= 2;
        return Duration.ofMillis(Math.min(d, max.toMillis()));
    }
}
