package io.stoker.dsl.validate;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as text, as GitLab's {@code timeout: 1h 30m} and Stoker's approval timeouts are. */
public final class Durations {
    /** The longest duration text may say (about 114 years): the 6 digits of hours the text always allowed. */
    static final String LONGEST = "999999h";
    private static final BigInteger LONGEST_MILLIS = BigInteger.valueOf(999_999L * 3_600_000L);
    // a number of at most 40 digits: enough to be told "too long", and a hostile Jobfile's megabyte of digits is not
    // read by backtracking over every split of it
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,40})h)?(?:(\\d{1,40})m)?(?:(\\d{1,40})s)?");

    private Durations() {
    }

    /**
     * {@code 2h}, {@code 30m}, {@code 1h30m} (or {@code 1h 30m}), {@code 90s} in milliseconds; -1 when none of these,
     * or longer than {@value #LONGEST}.
     */
    public static long millis(String text) {
        BigInteger millis = exactMillis(text);
        return millis == null || millis.compareTo(LONGEST_MILLIS) > 0 ? -1 : millis.longValueExact();
    }

    /**
     * Why {@code text}, a duration, is refused when it is one but too long ({@code 'X' is too long: at most 999999h}),
     * as a timeout's refusal words it; null when it is not one, or not too long.
     */
    public static String tooLong(String text) {
        BigInteger millis = exactMillis(text);
        return millis == null || millis.compareTo(LONGEST_MILLIS) <= 0 ? null
                : "'" + text + "' is too long: at most " + LONGEST;
    }

    /** The milliseconds {@code text} says, however many; null when it is no duration. */
    private static BigInteger exactMillis(String text) {
        if (text == null || text.isBlank()) return null;
        Matcher m = DURATION.matcher(text.strip().replace(" ", ""));
        if (!m.matches()) return null;
        BigInteger total = BigInteger.ZERO;
        long[] factors = {3_600_000L, 60_000L, 1_000L};
        for (int i = 0; i < 3; i++) {
            if (m.group(i + 1) != null) total = total.add(new BigInteger(m.group(i + 1)).multiply(BigInteger.valueOf(factors[i])));
        }
        return total;
    }
}
