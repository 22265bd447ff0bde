package io.stoker.engine.run;

/**
 * The one way Stoker writes a duration for people: {@code 200ms} under a second, {@code 1.5s} under a minute,
 * {@code 2m3s} from a minute on. The engine's log lines and reasons use it, and so does the CLI, so a time reads the
 * same in a task's log, a run's reason and the console.
 */
public final class DurationText {
    private DurationText() {
    }

    public static String of(long millis) {
        if (millis < 1000) return millis + "ms";
        if (millis < 60_000) return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        return (millis / 60_000) + "m" + (millis % 60_000) / 1000 + "s";
    }

    public static String of(java.time.Duration d) {
        return of(d.toMillis());
    }
}
