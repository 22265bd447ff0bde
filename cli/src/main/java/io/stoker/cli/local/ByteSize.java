package io.stoker.cli.local;

import io.stoker.cli.CliException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size given on the command line: bytes, or a whole number of KiB, MiB or GiB ({@code 64k}, {@code 500m}, {@code 1g}). */
final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([kmg]?)");

    private ByteSize() {
    }

    /** The bytes {@code text} names; a refusal naming {@code option} when it names none. */
    static long parse(String text, String option) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw CliException.usage(option + ": '" + text + "' is not a size: a number of bytes, or of KiB, MiB or"
                    + " GiB with k, m or g (e.g. 500m)");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        return n << shift;
    }
}
