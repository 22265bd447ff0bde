package io.stoker.cli.remote;

import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;
import io.stoker.engine.run.DurationText;
import io.stoker.server.outbox.OutboxSettings;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a command that follows something on the server waits out losing it — a restart (an upgrade), a proxy that cut
 * an idle stream — as {@code gh run watch} does: one line on stderr when it is lost, tries again after 0.5 s, doubling
 * to 5 s, and gives up (exit 3, one line) once it has been gone for {@code within}. Refusals (401, 403, 404) are not
 * retried. One per follow: an answer from the server ends an outage, so the next loss has its line and time again.
 */
final class Reconnect {
    static final String ENV = "STOKER_RECONNECT_WITHIN";
    static final Duration DEFAULT_WITHIN = Duration.ofMinutes(5);
    /** Help text for the commands that follow. */
    static final String HELP = "A lost server (a restart, a cut connection) is tried again for up to "
            + "$" + ENV + " (default 5m), resuming where it was.";
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private final URI server;
    private final Duration within;
    private final PrintWriter err;
    /** When the server was lost ({@link System#nanoTime}); null while it answers. */
    private Long lostAt;
    private Duration pause = FIRST_PAUSE;
    private int losses;

    Reconnect(URI server, Duration within, PrintWriter err) {
        this.server = server;
        this.within = within;
        this.err = err;
    }

    /** Reconnecting to {@code client}'s server for as long as {@code STOKER_RECONNECT_WITHIN} says. */
    static Reconnect of(StokerClient client, PrintWriter err) {
        return new Reconnect(client.server(), within(System.getenv()), err);
    }

    /** {@code STOKER_RECONNECT_WITHIN} from {@code env} ({@code 30s}, {@code 5m}, {@code PT1H}; 0: never), else 5 minutes. */
    static Duration within(Map<String, String> env) {
        Duration d;
        try {
            d = OutboxSettings.get(env, ENV, DEFAULT_WITHIN);
        } catch (IllegalArgumentException e) {
            throw CliException.invalid(e.getMessage());
        }
        if (d.isNegative()) throw CliException.invalid(ENV + " must not be negative, was '" + env.get(ENV).strip() + "'");
        return d;
    }

    /** {@code call}'s answer, calling it again while the server is lost. */
    <T> T call(Supplier<T> call) {
        while (true) {
            try {
                T answer = call.get();
                answered();
                return answer;
            } catch (ServerLost e) {
                lost(e);
            }
        }
    }

    /** The server answered: whatever was lost is back. */
    void answered() {
        lostAt = null;
        pause = FIRST_PAUSE;
    }

    /** How often the server was lost (and found again, or this would have given up) so far. */
    int losses() {
        return losses;
    }

    /** Says the loss once, then waits before the next try; gives up once the server has been gone too long. */
    private void lost(ServerLost e) {
        long now = System.nanoTime();
        if (lostAt == null) {
            lostAt = now;
            losses++;
            err.println("stoker: lost the server (" + e.reason() + "); reconnecting…");
            err.flush();
        }
        long left = within.toNanos() - (now - lostAt);
        if (left <= 0) {
            throw new CliException(ExitCode.UNAVAILABLE, "gave up reconnecting to " + server + " after trying for "
                    + DurationText.of(Duration.ofNanos(now - lostAt)) + " (" + ENV + " is " + DurationText.of(within)
                    + "): " + e.reason());
        }
        // the last try comes when the time is up, not a pause before it
        long wait = Math.min(pause.toNanos(), left);
        try {
            Thread.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNAVAILABLE, "interrupted");
        }
        pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
    }
}
