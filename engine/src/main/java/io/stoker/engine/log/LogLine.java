package io.stoker.engine.log;

import java.time.Instant;

/** One log line as followers see it (secrets already masked). */
public record LogLine(Instant time, LogStream stream, String text) {
}
