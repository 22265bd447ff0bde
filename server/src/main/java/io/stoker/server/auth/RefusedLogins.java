package io.stoker.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Which logins the limits refused lately, by action, user name and address: each such pair is audited once a
 * window ({@code login.refused}), so the log names every name tried from every address while it was locked, yet a
 * guesser repeating one refused login cannot write a row per request. Bounded like {@link LoginLimiter}'s counts.
 */
final class RefusedLogins {
    private final Cache<String, Boolean> audited;

    RefusedLogins(Duration window, Clock clock) {
        this.audited = Caffeine.newBuilder()
                .maximumSize(LoginLimiter.MAX_KEYS)
                .expireAfterWrite(window)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())) // the auth clock, which specs move
                .executor(Runnable::run)
                .build();
    }

    /** True the first time in a window that {@code action} was refused to {@code username} from {@code address}. */
    boolean firstLately(String action, String username, String address) {
        return audited.asMap().putIfAbsent(action + "\u0000" + username + "\u0000" + address, Boolean.TRUE) == null;
    }
}
