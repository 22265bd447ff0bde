package io.stoker.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Counts failed logins per key (of one {@link LoginLimit}: a user name from an address, an address, a user name) in
 * a sliding window; a key with {@code limit} failures inside the window is refused until the oldest of them leaves
 * it. In memory: a restart forgets, which only ever helps someone who could restart the server anyway.
 * <p>
 * Bounded by two Caffeine caches of {@link #MAX_KEYS} keys each, forgotten {@code window} after their last failure
 * and never cleared as a whole: keys still counting, and keys that reached the limit. A flood of one-off keys (easy
 * with many IPv6 source addresses) only ever pushes out other counting keys; a locked key can be pushed out only
 * by other locked keys, each of which costs {@code limit} failed logins. The times kept are at most the failures of
 * the last two windows, however high the limit: each failure cost a password hash (a dummy one for unknown names).
 */
final class LoginLimiter {
    static final int MAX_KEYS = 100_000;

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Deque<Instant>> counting;
    private final Cache<String, Deque<Instant>> locked;

    LoginLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.counting = newCache();
        this.locked = newCache();
    }

    private Cache<String, Deque<Instant>> newCache() {
        return Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .expireAfterWrite(window)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())) // the auth clock, which specs move
                .executor(Runnable::run) // evict on the caller's thread: no background work to wait for
                .build();
    }

    /**
     * Logins of each key whose password is being checked now (a hash takes a while): they count against the limit
     * until they end, so a burst of parallel guesses gets no more tries than a sequence would. Guarded by this; a key
     * leaves when its last attempt ends, so it holds at most the requests in flight.
     */
    private final Map<String, Integer> inFlight = new HashMap<>();

    /**
     * Starts an attempt of {@code key} unless it is over the limit now, counting its failures and the attempts still
     * in flight: empty when started (end it with {@link #end}), else how long to wait.
     */
    synchronized Optional<Duration> begin(String key) {
        Optional<Duration> wait = blocked(key);
        if (wait.isPresent()) return wait;
        int pending = inFlight.getOrDefault(key, 0);
        if (pending > 0 && failures(key) + pending >= limit) return Optional.of(Duration.ofSeconds(1));
        inFlight.merge(key, 1, Integer::sum);
        return Optional.empty();
    }

    /** An attempt {@link #begin} started has ended (its failure, if it failed, counted first). */
    synchronized void end(String key) {
        inFlight.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    }

    /** The failures of {@code key} inside the window. */
    private int failures(String key) {
        Deque<Instant> d = locked.getIfPresent(key);
        if (d == null) d = counting.getIfPresent(key);
        if (d == null) return 0;
        synchronized (d) {
            prune(d, clock.instant());
            return d.size();
        }
    }

    /** How long {@code key} must wait before trying again, when it is over the limit now. */
    Optional<Duration> blocked(String key) {
        Deque<Instant> d = locked.getIfPresent(key);
        if (d == null) return Optional.empty();
        synchronized (d) {
            Instant now = clock.instant();
            prune(d, now);
            if (d.size() < limit) return Optional.empty();
            Duration wait = Duration.between(now, d.peekFirst().plus(window));
            return Optional.of(wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
        }
    }

    /**
     * Counts a failure; true when it is the one that locks {@code key} (a lockout starts), so a lockout is told once
     * however many refusals follow it.
     */
    boolean failed(String key) {
        boolean[] started = {false};
        if (locked.asMap().computeIfPresent(key, (k, d) -> {
            // a locked key whose window moved on is free again: this failure locks it anew
            synchronized (d) {
                prune(d, clock.instant());
                boolean wasLocked = d.size() >= limit;
                record(d);
                started[0] = !wasLocked && d.size() >= limit;
            }
            return d;
        }) != null) return started[0];
        Deque<Instant> times = counting.asMap().compute(key, (k, d) -> record(d == null ? new ArrayDeque<>() : d));
        if (times.size() >= limit) {
            locked.put(key, times);
            counting.invalidate(key);
            return true;
        }
        return false;
    }

    /** A good login clears the user's count (not the address's: one good password does not vouch for the rest). */
    void succeeded(String key) {
        counting.invalidate(key);
        locked.invalidate(key);
    }

    private Deque<Instant> record(Deque<Instant> times) {
        synchronized (times) {
            Instant now = clock.instant();
            prune(times, now);
            times.addLast(now);
            while (times.size() > limit) times.removeFirst();
        }
        return times;
    }

    private void prune(Deque<Instant> d, Instant now) {
        Instant cutoff = now.minus(window);
        while (!d.isEmpty() && !d.peekFirst().isAfter(cutoff)) d.removeFirst();
    }
}
