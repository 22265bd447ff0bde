package io.stoker.server.auth;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Failed logins counted under each {@link LoginLimit}. A user name locked out by failures from everywhere still
 * logs in from the addresses it logged in from lately ({@link KnownAddresses}), so nobody can lock a user out by
 * guessing their password from elsewhere; the limits of that name from that address, and of the address, still
 * apply there.
 */
final class LoginLimits {
    /** A refusal: the limit hit (the one waited for longest, when several are) and how long until it frees. */
    record Lockout(LoginLimit limit, Duration retryAfter) {
    }

    private final Map<LoginLimit, LoginLimiter> limiters = new EnumMap<>(LoginLimit.class);
    private final KnownAddresses known;

    LoginLimits(Duration window, Clock clock, KnownAddresses known) {
        for (LoginLimit l : LoginLimit.values()) limiters.put(l, new LoginLimiter(l.limit, window, clock));
        this.known = known;
    }

    /** What {@link #begin} gives: the lockout that refuses the attempt, or the attempt, in flight until closed. */
    sealed interface Start {
        record Refused(Lockout lockout) implements Start {
        }

        record Begun(Attempt attempt) implements Start {
        }
    }

    /**
     * A login (or a check of the current password) whose password is being checked: it counts against each limit
     * as if it had failed until closed, so parallel guesses cannot all pass the check before any is counted. Count
     * a failure ({@link LoginLimits#failed}) before closing it.
     */
    static final class Attempt implements AutoCloseable {
        private final List<Runnable> ends = new ArrayList<>();

        @Override
        public void close() {
            ends.forEach(Runnable::run);
            ends.clear();
        }
    }

    /**
     * Starts an attempt of {@code username} from {@code address} unless one of the limits refuses it, counting the
     * failures in the window and the attempts in flight; the limit of the user name spares an address it logged in
     * from lately.
     */
    Start begin(String username, String address) throws SQLException {
        Attempt attempt = new Attempt();
        Optional<Lockout> worst = Optional.empty();
        for (LoginLimit l : LoginLimit.values()) {
            String key = l.key(username, address);
            LoginLimiter limiter = limiters.get(l);
            Optional<Duration> wait = limiter.begin(key);
            if (wait.isEmpty()) {
                attempt.ends.add(() -> limiter.end(key));
                continue;
            }
            if (worst.isPresent() && worst.get().retryAfter().compareTo(wait.get()) >= 0) continue;
            // the database is asked only while the name is locked out, i.e. rarely
            if (l == LoginLimit.USER && known.known(username, address)) continue;
            worst = Optional.of(new Lockout(l, wait.get()));
        }
        if (worst.isEmpty()) return new Start.Begun(attempt);
        attempt.close();
        return new Start.Refused(worst.get());
    }

    /** Counts a failure under every limit; the limits this failure locked (a lockout starts: told once). */
    Set<LoginLimit> failed(String username, String address) {
        Set<LoginLimit> started = EnumSet.noneOf(LoginLimit.class);
        for (LoginLimit l : LoginLimit.values()) {
            if (limiters.get(l).failed(l.key(username, address))) started.add(l);
        }
        return started;
    }

    /**
     * A good password from {@code address}: that name's count from that address starts again, and the address is
     * known from now on. The name's count from everywhere is kept (one good login does not vouch for other
     * addresses' guesses), and so is the address's.
     */
    void succeeded(String username, String address) throws SQLException {
        succeededElsewhere(username, address);
        known.remember(username, address);
    }

    /** A good login through another server of a cluster (which stored the known address). */
    void succeededElsewhere(String username, String address) {
        LoginLimit l = LoginLimit.USER_FROM_ADDRESS;
        limiters.get(l).succeeded(l.key(username, address));
    }
}
