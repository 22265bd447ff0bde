package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * How tables show an instant the server replied: ISO-8601 to the second ({@code 2026-11-30T10:02:03Z}). The server
 * keeps microseconds, which a person reading a table does not need and which made columns of one page differ.
 */
final class InstantText {
    private InstantText() {
    }

    /** {@code instant} to the second; null when it is missing, null or empty, and its text as sent when no instant. */
    static String of(JsonNode instant) {
        String text = instant.asText(null);
        if (text == null || text.isEmpty() || instant.isNull()) return null;
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException notAnInstant) {
            return text; // a newer server's format: shown as it came rather than no table at all
        }
    }

    /** {@link #of}, or {@code absent} when there is no instant. */
    static String of(JsonNode instant, String absent) {
        String text = of(instant);
        return text == null ? absent : text;
    }
}
