package io.stoker.server.auth;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
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

    /** The lockout {@code username} from {@code address} is under now, if any. */
    Optional<Lockout> blocked(String username, String address) throws SQLException {
        Optional<Lockout> worst = Optional.empty();
        for (LoginLimit l : LoginLimit.values()) {
            Optional<Duration> wait = limiters.get(l).blocked(l.key(username, address));
            if (wait.isEmpty() || worst.isPresent() && worst.get().retryAfter().compareTo(wait.get()) >= 0) continue;
            // the database is asked only while the name is locked out, i.e. rarely
            if (l == LoginLimit.USER && known.known(username, address)) continue;
            worst = Optional.of(new Lockout(l, wait.get()));
        }
        return worst;
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
