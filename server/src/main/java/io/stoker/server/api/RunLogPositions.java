package io.stoker.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's whole-log event stream is in each task's log. Its tasks' lines interleave, so one line number cannot
 * say where a reconnecting client stopped: each event's id is this map after it, as JSON ({@code {"build":12,"test":4}}),
 * and a {@code Last-Event-ID} of that form resumes every task's log after the lines it names. Used on the response's
 * context only.
 */
final class RunLogPositions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Long> lines;

    private RunLogPositions(Map<String, Long> lines) {
        this.lines = lines;
    }

    /** The positions a {@code Last-Event-ID} names; none (every log from its start) when absent or not of this form. */
    static RunLogPositions of(String lastEventId) {
        Map<String, Long> lines = new LinkedHashMap<>();
        if (lastEventId != null && lastEventId.trim().startsWith("{")) {
            try {
                Map<String, Long> named = JSON.readValue(lastEventId.trim(), new TypeReference<Map<String, Long>>() { });
                named.forEach((task, n) -> {
                    if (task != null && n != null && n > 0) lines.put(task, n);
                });
            } catch (Exception notOurs) {
                // an id this server never sent: start over
            }
        }
        return new RunLogPositions(lines);
    }

    /** Lines of {@code task}'s log the client has. */
    long from(String task) {
        return lines.getOrDefault(task, 0L);
    }

    /** Records that {@code task}'s line {@code n} was sent; answers the id of its event. */
    String sent(String task, long n) {
        lines.put(task, n);
        try {
            return JSON.writeValueAsString(lines);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a map of strings to numbers always writes
        }
    }
}
