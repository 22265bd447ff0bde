package io.stoker.server.outbox;

import io.stoker.server.db.StoreFailure;
import org.slf4j.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * The server log's account of a failure that a timer meets again on every tick (the outbox looks every 500 ms): the
 * first failure, then at most one line per {@link #EVERY} while it lasts, and one when it ends. A closed database
 * once wrote the same warning twice a second until a restart. Used from one thread.
 */
final class RepeatedFailure {
    static final Duration EVERY = Duration.ofMinutes(1);

    private final Logger log;
    private final String what;
    private Instant since;
    private Instant said;
    private long times;

    /** {@code what} is the work that fails, as the start of a sentence ("outbox: looking for due deliveries"). */
    RepeatedFailure(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    void failed(Instant now, Exception e) {
        times++;
        String why = StoreFailure.reason(e).orElseGet(e::toString);
        if (since == null) {
            since = now;
            said = now;
            log.warn("{} failed; tried again on every tick, said again at most once a minute while it fails: {}", what, why);
        } else if (!now.isBefore(said.plus(EVERY))) {
            said = now;
            log.warn("{} still fails ({} times since {}): {}", what, times, since, why);
        }
    }

    void succeeded(Instant now) {
        if (since == null) return;
        log.info("{} works again, after {} failed tries since {}", what, times, since);
        since = null;
        said = null;
        times = 0;
    }
}
