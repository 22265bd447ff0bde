package io.stoker.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per key (a user name, a remote address) in a sliding window; a key with {@code limit}
 * failures inside the window is refused until the oldest of them leaves it. In memory: a restart forgets, which
 * only ever helps someone who could restart the server anyway. Bounded: stale keys are dropped as they are seen,
 * and the whole table when it grows past {@link #MAX_KEYS}.
 */
final class LoginLimiter {
    private static final int MAX_KEYS = 100_000;

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** How long {@code key} must wait before trying again, when it is over the limit now. */
    Optional<Duration> blocked(String key) {
        Deque<Instant> d = failures.get(key);
        if (d == null) return Optional.empty();
        synchronized (d) {
            Instant now = clock.instant();
            prune(d, now);
            if (d.size() < limit) return Optional.empty();
            Duration wait = Duration.between(now, d.peekFirst().plus(window));
            return Optional.of(wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
        }
    }

    void failed(String key) {
        if (failures.size() > MAX_KEYS) failures.clear();
        Deque<Instant> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (d) {
            Instant now = clock.instant();
            prune(d, now);
            d.addLast(now);
            while (d.size() > limit) d.removeFirst();
        }
    }

    /** A good login clears the user's count (not the address's: one good password does not vouch for the rest). */
    void succeeded(String key) {
        failures.remove(key);
    }

    private void prune(Deque<Instant> d, Instant now) {
        Instant cutoff = now.minus(window);
        while (!d.isEmpty() && !d.peekFirst().isAfter(cutoff)) d.removeFirst();
    }
}
