package io.stoker.server.outbox;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a receiver that turned a request down for its rate limit says to try again: {@code Retry-After} (seconds, or
 * an HTTP date), else the reset of a used-up quota ({@code x-ratelimit-reset} on GitHub and Gitea,
 * {@code ratelimit-reset} on GitLab: epoch seconds, when the matching {@code …-remaining} is 0). GitHub answers its
 * limits with 403 as well as 429: such a 403 is a "later", not a "never".
 */
public final class RetryAfter {
    private RetryAfter() {
    }

    /** The instant the headers name; empty when they name none. */
    public static Optional<Instant> of(HttpHeaders headers, Instant now) {
        Optional<String> after = headers.firstValue("retry-after").map(String::trim);
        if (after.isPresent()) {
            String v = after.get();
            try {
                if (v.matches("\\d{1,9}")) return Optional.of(now.plusSeconds(Long.parseLong(v)));
                return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                // not a form the standard allows: look at the quota headers instead
            }
        }
        for (String prefix : new String[]{"x-ratelimit-", "ratelimit-"}) {
            boolean exhausted = headers.firstValue(prefix + "remaining").map(String::trim).filter("0"::equals).isPresent();
            Optional<String> reset = headers.firstValue(prefix + "reset").map(String::trim).filter(r -> r.matches("\\d{1,12}"));
            if (exhausted && reset.isPresent()) return Optional.of(Instant.ofEpochSecond(Long.parseLong(reset.get())));
        }
        return Optional.empty();
    }
}
