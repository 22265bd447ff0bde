package io.stoker.dsl.validate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as text, as GitLab's {@code timeout: 1h 30m} and Stoker's approval timeouts are. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,6})h)?(?:(\\d{1,7})m)?(?:(\\d{1,9})s)?");

    private Durations() {
    }

    /** {@code 2h}, {@code 30m}, {@code 1h30m} (or {@code 1h 30m}), {@code 90s} in milliseconds; -1 when none of these. */
    public static long millis(String text) {
        if (text == null || text.isBlank()) return -1;
        Matcher m = DURATION.matcher(text.strip().replace(" ", ""));
        if (!m.matches()) return -1;
        long total = 0;
        long[] factors = {3_600_000L, 60_000L, 1_000L};
        for (int i = 0; i < 3; i++) {
            if (m.group(i + 1) != null) total += Long.parseLong(m.group(i + 1)) * factors[i];
        }
        return total;
    }
}
