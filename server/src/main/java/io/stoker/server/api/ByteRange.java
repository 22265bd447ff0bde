package io.stoker.server.api;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code Range} header asks of a file of a known size (RFC 9110 §14): one {@link Span} of it, {@link #NONE}
 * of it (416), or nothing the server serves ranges for, so the header is {@link #IGNORED} and the whole file is the
 * answer (200): a header that is not valid (`bytes=abc`, `bytes=50-10`), another unit, or several ranges.
 */
sealed interface ByteRange {
    /** One range of bytes: {@code a-b}, {@code a-} or {@code -n} (the last n bytes); an optional space around parts. */
    Pattern ONE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

    ByteRange IGNORED = new Ignored();
    ByteRange NONE = new Unsatisfiable();

    /** The header is not one range of bytes: answer as if it were not there. */
    record Ignored() implements ByteRange {
    }

    /** A valid range that starts beyond the end (or asks for the last 0 bytes, or any of an empty file): 416. */
    record Unsatisfiable() implements ByteRange {
    }

    /** The first and last byte (inclusive) to send, within the file. */
    record Span(long first, long last) implements ByteRange {
        long length() {
            return last - first + 1;
        }
    }

    static ByteRange of(String header, long size) {
        Matcher m = ONE.matcher(header.toLowerCase(Locale.ROOT));
        if (!m.matches()) return IGNORED;
        String a = m.group(1);
        String b = m.group(2);
        if (a.isEmpty() && b.isEmpty()) return IGNORED;
        if (a.isEmpty()) {
            // a suffix longer than the file is the whole file, however many digits it has
            long n = number(b);
            if (n == 0 || size == 0) return NONE;
            return new Span(Math.max(0, size - n), size - 1);
        }
        long first = number(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : number(b);
        if (last < first) return IGNORED; // RFC 9110 §14.1.1: an invalid range, so the header is ignored
        if (first >= size) return NONE;
        return new Span(first, Math.min(last, size - 1));
    }

    /** Digits as a number, saturated at {@link Long#MAX_VALUE}: any position beyond a file is beyond it alike. */
    private static long number(String digits) {
        String d = digits.replaceFirst("^0+(?=.)", "");
        return d.length() > 18 ? Long.MAX_VALUE : Long.parseLong(d);
    }
}
