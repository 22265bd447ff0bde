package io.stoker.engine.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The log file line format: {@code 2026-11-22T10:40:01.123Z out <text>}. */
public final class LogFormat {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private LogFormat() {
    }

    /** The prefix of a line: time, stream and one space. */
    public static byte[] prefix(long epochMillis, LogStream stream) {
        return (TIME.format(Instant.ofEpochMilli(epochMillis)) + " " + stream.label() + " ")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses one line of a log file (without its newline); a line that does not fit is system text. */
    public static LogLine parse(String line) {
        int a = line.indexOf(' ');
        int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
        if (a > 0 && b > a) {
            LogStream stream = LogStream.ofLabel(line.substring(a + 1, b));
            if (stream != null) {
                try {
                    return new LogLine(Instant.parse(line.substring(0, a)), stream, line.substring(b + 1));
                } catch (java.time.format.DateTimeParseException e) {
                    // fall through: not one of ours
                }
            }
        }
        return new LogLine(Instant.EPOCH, LogStream.SYSTEM, line);
    }
}
