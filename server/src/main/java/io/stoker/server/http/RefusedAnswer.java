package io.stoker.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A receiver's refusal in words a user can act on: {@code HTTP 401: Bad credentials} rather than {@code HTTP 401}.
 * The reason is what the answer itself says: the {@code message} (or {@code error}) of a JSON body, as GitHub,
 * GitLab, Gitea and ntfy answer, or a short plain-text body, as Slack's {@code invalid_token}; nothing else (an HTML
 * error page says nothing useful in one line).
 */
public final class RefusedAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CHARS = 200;

    private RefusedAnswer() {
    }

    /** {@code HTTP <status>}, followed by {@code : <reason>} when the answer's body gives one. */
    public static String describe(HttpResponse<byte[]> answer) {
        String reason = reason(answer);
        return "HTTP " + answer.statusCode() + (reason == null ? "" : ": " + reason);
    }

    private static String reason(HttpResponse<byte[]> answer) {
        byte[] body = answer.body();
        if (body == null || body.length == 0) return null;
        String type = answer.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (type.contains("json") || text.startsWith("{")) return fromJson(text);
        if (type.startsWith("text/plain") && !text.isEmpty() && text.length() <= MAX_CHARS) return oneLine(text);
        return null;
    }

    private static String fromJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            for (String field : new String[] {"message", "error"}) {
                JsonNode said = node.path(field);
                if (said.isTextual() && !said.asText().isBlank()) return oneLine(said.asText());
                if (said.isContainerNode() && !said.isEmpty()) return oneLine(said.toString()); // GitLab's {"ref": [...]}
            }
        } catch (IOException e) {
            // cut off at the kept bytes, or no JSON after all: no reason to give
        }
        return null;
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\p{Cntrl}+", " ").replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_CHARS ? line : line.substring(0, MAX_CHARS - 1) + "…";
    }
}
