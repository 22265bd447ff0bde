package io.stoker.dsl.cron;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A parsed Jenkins cron spec: {@code minute hour day-of-month month day-of-week} with {@code *}, {@code a-b},
 * lists, steps ({@code *}{@code /5}, {@code 1-30/10}), {@code H}, {@code H/15}, {@code H(0-29)}, {@code H(0-29)/10}
 * and the aliases {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}.
 *
 * <p>Semantics follow Jenkins: {@code H} is a value derived from the job's identity (stable for that job, spread
 * across jobs; a bare {@code H} in day-of-month stays within 1-28); day-of-week 0 and 7 are Sunday; when both
 * day-of-month and day-of-week are restricted a day must match <em>both</em>. Times are wall-clock times of the
 * zone passed to {@link #next}: a time skipped by a daylight-saving jump fires right after the jump (02:30 becomes
 * 03:30), and a time that occurs twice fires once, at its first occurrence. Hand-written rather than on cron-utils,
 * because {@code H}, Jenkins' AND of the two day fields and the DST rules are easier to state and test here.
 */
public final class CronSchedule {
    private static final int MAX_YEARS = 100;

    private final String spec;
    private final long minutes;
    private final long hours;
    private final long days;
    private final long months;
    private final long weekdays;

    private CronSchedule(String spec, long[] masks) {
        this.spec = spec;
        this.minutes = masks[0];
        this.hours = masks[1];
        this.days = masks[2];
        this.months = masks[3];
        this.weekdays = masks[4];
    }

    /**
     * Parses a spec for one job.
     *
     * @param identity what {@code H} hashes, e.g. {@code "project/job"}; use the same identity for the same job
     * @throws InvalidCronException naming the field at fault
     */
    public static CronSchedule parse(String spec, String identity) {
        Objects.requireNonNull(identity, "identity");
        return new CronSchedule(spec == null ? null : spec.trim(), CronParser.parse(spec, identity));
    }

    /** The spec as written. */
    public String spec() {
        return spec;
    }

    /** The spec with {@code H} and aliases replaced by this job's values, e.g. {@code 17 3 * * *} for {@code H 3 * * *}. */
    public String expanded() {
        return new StringJoiner(" ")
                .add(list(minutes, 0, 59)).add(list(hours, 0, 23)).add(list(days, 1, 31))
                .add(list(months, 1, 12)).add(list(weekdays, 0, 6)).toString();
    }

    /** True when the wall-clock minute of {@code time} is one this schedule fires at. */
    public boolean matches(LocalDateTime time) {
        return has(months, time.getMonthValue()) && has(days, time.getDayOfMonth())
                && has(weekdays, time.getDayOfWeek().getValue() % 7)
                && has(hours, time.getHour()) && has(minutes, time.getMinute());
    }

    /** The first firing strictly after {@code after}, in its zone. */
    public ZonedDateTime next(ZonedDateTime after) {
        LocalDateTime t = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int lastYear = t.getYear() + MAX_YEARS;
        while (t.getYear() <= lastYear) {
            if (!has(months, t.getMonthValue())) {
                t = t.withDayOfMonth(1).toLocalDate().atStartOfDay().plusMonths(1);
            } else if (!has(days, t.getDayOfMonth()) || !has(weekdays, dayOfWeek(t.getDayOfWeek()))) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!has(hours, t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!has(minutes, t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                // ofLocal: a gap shifts forward by its length, an overlap takes the earlier offset
                ZonedDateTime candidate = ZonedDateTime.ofLocal(t, after.getZone(), null);
                if (candidate.isAfter(after)) {
                    return candidate;
                }
                t = t.plusMinutes(1);
            }
        }
        throw new IllegalStateException("cron '" + spec + "' does not fire within " + MAX_YEARS + " years of " + after);
    }

    private static int dayOfWeek(DayOfWeek d) {
        return d.getValue() % 7; // Sunday = 0
    }

    private static boolean has(long mask, int value) {
        return (mask & 1L << value) != 0;
    }

    private static String list(long mask, int min, int max) {
        if (Long.bitCount(mask) == max - min + 1) {
            return "*";
        }
        StringJoiner joiner = new StringJoiner(",");
        for (int v = min; v <= max; v++) {
            if (has(mask, v)) {
                joiner.add(Integer.toString(v));
            }
        }
        return joiner.toString();
    }

    @Override
    public String toString() {
        return "CronSchedule[" + spec + " = " + expanded() + "]";
    }
}
