package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;
import io.stoker.engine.log.LogFormat;
import io.stoker.engine.log.LogStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A followed log's {@code line} event ({@code {"task", "line", "time", "stream", "text"}}) as the line it was stored
 * as, {@code [task] <time> <stream> <text>} (the task only in a run's log): what the whole log and a chunked follow
 * give, so {@link LogText} shows it the same way.
 */
final class LogEvent {
    private LogEvent() {
    }

    static String stored(String data, boolean withTask) {
        JsonNode line;
        try {
            line = StokerClient.mapper().readTree(data);
        } catch (IOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "the server sent a log line that is not JSON: " + data);
        }
        String text = line.path("text").asText();
        Instant time = Instant.parse(line.path("time").asText(Instant.EPOCH.toString()));
        LogStream stream = LogStream.ofLabel(line.path("stream").asText());
        // a stored line the server could not read as one (no time, no stream) is sent as system text at the epoch
        String stored = stream == null || (time.equals(Instant.EPOCH) && stream == LogStream.SYSTEM) ? text
                : new String(LogFormat.prefix(time.toEpochMilli(), stream), StandardCharsets.US_ASCII) + text;
        return withTask ? "[" + line.path("task").asText() + "] " + stored : stored;
    }
}
