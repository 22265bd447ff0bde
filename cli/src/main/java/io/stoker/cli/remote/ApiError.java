package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's error body {@code {"error", "message", "details"}} with its HTTP status. As a CLI failure it is one
 * line (with the details that are {@code name: value} facts) plus indented lines for the others: a 4xx is the caller's input (exit 2), anything else the server's trouble (exit 3).
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

    /**
     * The failure with another first line, e.g. with advice about the CLI's own options. The server's {@code name:
     * value} facts are folded into that line ({@code (tasks: greet, deploy)}, {@code (status: cancelled)}); the
     * field a refusal names is left out (the message names it, and the user typed an option); other details, such
     * as a Jobfile's diagnostics, stay one indented line each.
     */
    CliException toCli(String firstLine) {
        Map<String, List<String>> facts = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        for (String d : details) {
            Matcher m = FACT.matcher(d);
            if (!m.matches()) lines.add(d);
            else if (!m.group(1).equals("field")) facts.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
        }
        StringBuilder text = new StringBuilder(firstLine);
        if (!facts.isEmpty()) {
            List<String> said = new ArrayList<>();
            facts.forEach((name, values) -> said.add(values.size() == 1 ? name + ": " + values.getFirst()
                    : (name.endsWith("s") ? name : name + "s") + ": " + shown(values)));
            text.append(" (").append(String.join("; ", said)).append(")");
        }
        for (String d : lines) text.append(System.lineSeparator()).append("  ").append(d);
        return new CliException(status < 500 ? ExitCode.INVALID : ExitCode.UNAVAILABLE, text.toString());
    }

    /** A detail that is a machine-readable fact, {@code name: value}, as the server's refusals give them. */
    private static final Pattern FACT = Pattern.compile("([a-z][A-Za-z]*(?:\\.[A-Za-z]+)*): (\\S.*)");

    /** At most ten values, a longer list ending in how many there are. */
    private static String shown(List<String> values) {
        return values.size() <= 10 ? String.join(", ", values)
                : String.join(", ", values.subList(0, 10)) + ", … (" + values.size() + " in all)";
    }
}
