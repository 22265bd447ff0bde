package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server's error body {@code {"error", "message", "details"}} with its HTTP status. As a CLI failure it is one
 * line plus indented detail lines: a 4xx is the caller's input (exit 2), anything else the server's trouble (exit 3).
 */
record ApiError(int status, String error, String message, List<String> details) {

    static ApiError parse(int status, String body) {
        String error = "HTTP " + status;
        String message = null;
        List<String> details = new ArrayList<>();
        try {
            JsonNode json = StokerClient.mapper().readTree(body == null || body.isBlank() ? "{}" : body);
            if (json != null && json.isObject()) {
                if (json.hasNonNull("error")) error = json.get("error").asText();
                if (json.hasNonNull("message")) message = json.get("message").asText();
                json.path("details").forEach(d -> details.add(d.asText()));
            }
        } catch (Exception notJson) {
            // a proxy's HTML page, say: keep its first line
            message = body.strip().lines().findFirst().orElse(null);
        }
        return new ApiError(status, error, message == null ? error : message, List.copyOf(details));
    }

    /** The value of a {@code name: value} item of the details (the server's machine-readable facts), or null. */
    String detail(String name) {
        for (String d : details) if (d.startsWith(name + ": ")) return d.substring(name.length() + 2);
        return null;
    }

    /** The same refusal without its detail lines: for a first line that says everything they would. */
    ApiError withoutDetails() {
        return new ApiError(status, error, message, List.of());
    }

    /** The same refusal with detail lines that start with {@code from} starting with {@code to} instead. */
    ApiError withDetailPrefix(String from, String to) {
        return new ApiError(status, error, message, details.stream()
                .map(d -> d.startsWith(from) ? to + d.substring(from.length()) : d).toList());
    }

    /**
     * The same refusal with the API field it starts with ({@code 'expiresInDays' must be …}, or {@code port: …})
     * said as the option that set it ({@code --expires-in-days must be …}): the user typed the option, not the field.
     */
    ApiError withOptions(Map<String, String> optionsByField) {
        for (var e : optionsByField.entrySet()) {
            for (String field : List.of("'" + e.getKey() + "'", e.getKey() + ":")) {
                if (message.startsWith(field)) {
                    String rest = message.substring(field.length());
                    return new ApiError(status, error, e.getValue() + (field.endsWith(":") ? ":" : "") + rest, details);
                }
            }
        }
        return this;
    }

    CliException toCli() {
        return toCli(message);
    }

    /** The failure with another first line, e.g. with advice about the CLI's own options. */
    CliException toCli(String firstLine) {
        StringBuilder text = new StringBuilder(firstLine);
        for (String d : details) text.append(System.lineSeparator()).append("  ").append(d);
        return new CliException(status < 500 ? ExitCode.INVALID : ExitCode.UNAVAILABLE, text.toString());
    }
}
