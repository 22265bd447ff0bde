package io.stoker.dsl.cron;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one 5-field spec into bit masks, expanding {@code H} from a hash of the job's identity as Jenkins
 * does (MD5 of the identity seeds a {@link Random}; each {@code H} draws the next number), so a job keeps its
 * minute while different jobs spread out.
 */
final class CronParser {
    private static final Map<String, String> ALIASES = Map.of(
            "@yearly", "H H H H *",
            "@annually", "H H H H *",
            "@monthly", "H H H * *",
            "@weekly", "H H * * H",
            "@daily", "H H * * *",
            "@midnight", "H H(0-2) * * *",
            "@hourly", "H * * * *");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,4}");
    private static final Pattern HASH = Pattern.compile("H(?:\\((\\d{1,4})-(\\d{1,4})\\))?(?:/(\\d{1,4}))?");
    private static final Pattern RANGE = Pattern.compile("(\\*|\\d{1,4}(?:-\\d{1,4})?)(?:/(\\d{1,4}))?");

    private final String spec;
    private final Random hash;

    private CronParser(String spec, String identity) {
        this.spec = spec;
        this.hash = new Random(seed(identity));
    }

    /** Bit masks for minute, hour, day-of-month, month and day-of-week (Sunday = 0; 7 is folded into 0). */
    static long[] parse(String spec, String identity) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidCronException(String.valueOf(spec), null, "the spec is empty");
        }
        String trimmed = spec.trim();
        String expanded = trimmed;
        if (trimmed.startsWith("@")) {
            expanded = ALIASES.get(trimmed.toLowerCase(Locale.ROOT));
            if (expanded == null) {
                throw new InvalidCronException(trimmed, null, "unknown alias " + trimmed
                        + " (known: @yearly @annually @monthly @weekly @daily @midnight @hourly)");
            }
        }
        String[] parts = expanded.split("\\s+");
        if (parts.length != 5) {
            throw new InvalidCronException(trimmed, null, "expected 5 fields (minute hour day-of-month month"
                    + " day-of-week), found " + parts.length);
        }
        CronParser parser = new CronParser(trimmed, identity);
        long[] masks = new long[5];
        CronField[] fields = CronField.values();
        for (int i = 0; i < 5; i++) {
            masks[i] = parser.field(fields[i], parts[i]);
        }
        if ((masks[4] & 1L << 7) != 0) {
            masks[4] = (masks[4] & ~(1L << 7)) | 1L; // 7 is Sunday too
        }
        parser.checkDaysExist(masks[2], masks[3]);
        return masks;
    }

    private long field(CronField f, String text) {
        long mask = 0;
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw error(f, "empty item in '" + text + "'");
            }
            mask |= item(f, item);
        }
        return mask;
    }

    private long item(CronField f, String item) {
        Matcher h = HASH.matcher(item);
        if (h.matches()) {
            int from = f.min;
            int to = f.hashMax;
            if (h.group(1) != null) {
                from = number(f, h.group(1));
                to = number(f, h.group(2));
                checkOrder(f, item, from, to);
            }
            int span = to - from + 1;
            if (h.group(3) == null) {
                return 1L << (from + hash.nextInt(span));
            }
            int step = step(f, item, h.group(3), span);
            return every(from + hash.nextInt(step), to, step);
        }
        Matcher r = RANGE.matcher(item);
        if (!r.matches()) {
            throw error(f, "'" + item + "' is not a number, a range a-b, *, H or H(a-b), optionally followed by /step");
        }
        int from;
        int to;
        if (r.group(1).equals("*")) {
            from = f.min;
            to = f == CronField.DAY_OF_WEEK ? 6 : f.max;
        } else if (r.group(1).contains("-")) {
            String[] ends = r.group(1).split("-");
            from = number(f, ends[0]);
            to = number(f, ends[1]);
            checkOrder(f, item, from, to);
        } else {
            from = number(f, r.group(1));
            if (r.group(2) != null) {
                throw error(f, "'" + item + "': a step needs a range, * or H before it (e.g. " + from + "-"
                        + f.max + "/" + r.group(2) + ")");
            }
            return 1L << from;
        }
        int step = r.group(2) == null ? 1 : step(f, item, r.group(2), to - from + 1);
        return every(from, to, step);
    }

    private int step(CronField f, String item, String text, int span) {
        int step = Integer.parseInt(text);
        if (step < 1) {
            throw error(f, "'" + item + "': the step must be at least 1");
        }
        if (step > span) {
            throw error(f, "'" + item + "': the step " + step + " is larger than the range (" + span + " values)");
        }
        return step;
    }

    private int number(CronField f, String text) {
        if (!NUMBER.matcher(text).matches()) {
            throw error(f, "'" + text + "' is not a number");
        }
        int n = Integer.parseInt(text);
        if (n < f.min || n > f.max) {
            throw error(f, n + " is out of range " + f.min + "-" + f.max);
        }
        return n;
    }

    private void checkOrder(CronField f, String item, int from, int to) {
        if (from > to) {
            throw error(f, "'" + item + "': the range starts after it ends");
        }
    }

    /** Rejects specs such as {@code 0 0 30 2 *} that would never fire. */
    private void checkDaysExist(long days, long months) {
        int[] longest = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        for (int month = 1; month <= 12; month++) {
            if ((months & 1L << month) != 0 && Long.numberOfTrailingZeros(days) <= longest[month]) {
                return;
            }
        }
        throw error(CronField.DAY_OF_MONTH, "no chosen day exists in any chosen month, so this would never run");
    }

    private static long every(int from, int to, int step) {
        long mask = 0;
        for (int v = from; v <= to; v += step) {
            mask |= 1L << v;
        }
        return mask;
    }

    private InvalidCronException error(CronField f, String problem) {
        return new InvalidCronException(spec, f.label, problem);
    }

    /** Jenkins' Hash.from: MD5 of the seed folded into 8 bytes. */
    private static long seed(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(identity.getBytes(StandardCharsets.UTF_8));
            for (int i = 8; i < digest.length; i++) {
                digest[i % 8] ^= digest[i];
            }
            long seed = 0;
            for (int i = 0; i < 8; i++) {
                seed = (seed << 8) + (digest[i] & 0xFF);
            }
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
