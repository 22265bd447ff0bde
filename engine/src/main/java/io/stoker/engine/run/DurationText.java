package io.stoker.engine.run;

/**
 * The one way Stoker writes a duration for people: {@code 200ms} under a second, {@code 1.5s} under a minute,
 * {@code 2m3s} from a minute on, {@code 1h2m3s} from an hour on. The engine's log lines and reasons use it, and so does the CLI, so a time reads the
 * same in a task's log, a run's reason and the console.
 */
public final class DurationText {
    private DurationText() {
    }

    public static String of(long millis) {
        if (millis < 1000) return millis + "ms";
        // tenths cut, not rounded: 59.96 s is not "60.0s", nor 1m59.6s "2m0s" — every part rounds down alike
        if (millis < 60_000) return millis / 1000 + "." + millis % 1000 / 100 + "s";
        if (millis < 3_600_000) return (millis / 60_000) + "m" + (millis % 60_000) / 1000 + "s";
        return (millis / 3_600_000) + "h" + (millis % 3_600_000) / 60_000 + "m" + (millis % 60_000) / 1000 + "s";
    }

    public static String of(java.time.Duration d) {
        return of(d.toMillis());
    }
}
