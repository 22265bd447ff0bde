package io.stoker.server.forge;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonFactory;
import io.stoker.server.forge.WebhookOutcome.Accepted;
import io.stoker.server.forge.WebhookOutcome.Ignored;
import io.stoker.server.forge.WebhookOutcome.Rejected;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** What the hosts' payload readers share: JSON of up to the largest delivery, URL lists, SHAs, changed files. */
public final class Payloads {
    /**
     * GitHub caps deliveries at 25 MB; a string of a commit message or diff may be most of it. A field given twice is
     * refused, as by the API: which of the two a reader takes would otherwise be up to the reader.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 << 20).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final Pattern ZERO_SHA = Pattern.compile("0+");
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    public static final String HEADS = "refs/heads/";
    public static final String TAGS = "refs/tags/";

    private Payloads() {
    }

    /** Parses a JSON object and hands it to {@code reader}; a 400 outcome when it is not one. */
    public static WebhookOutcome parse(byte[] json, Function<JsonNode, WebhookOutcome> reader) {
        JsonNode payload;
        try {
            payload = JSON.readTree(json);
        } catch (JacksonException e) {
            return new Rejected(400, "the payload is not valid JSON: " + io.stoker.server.api.JsonSyntax.describe(e));
        } catch (java.io.IOException e) {
            return new Rejected(400, "the payload cannot be read: " + e.getMessage());
        }
        if (payload == null || !payload.isObject()) {
            return new Rejected(400, "the payload is not a JSON object");
        }
        try {
            return reader.apply(payload);
        } catch (WrongType e) {
            return new Rejected(400, e.getMessage());
        }
    }

    /**
     * The string at {@code path} ({@code ref}, {@code pull_request.head.ref}) of {@code node}; null when it, or an
     * object on the way, is absent or JSON null. A field of another type means the payload is not the host's: the
     * reader given to {@link #parse} then answers 400 naming the field.
     */
    public static String text(JsonNode node, String path) {
        return text(node, "", path);
    }

    /**
     * The same for a {@code node} inside the payload, named {@code where} ({@code changes[2]}) in the 400 a field of
     * another type gets ("'changes[2].refId' …", or "'changes[2]' …" when the node itself is not an object).
     */
    public static String text(JsonNode node, String where, String path) {
        JsonNode at = at(node, where, path);
        if (at == null) return null;
        if (!at.isTextual()) throw new WrongType(name(where, path.split("\\.")), at, "a string");
        return at.asText();
    }

    /**
     * The elements of the list at {@code path} of {@code node}, each an object as the host sends them (none when the
     * list is absent or JSON null); another type, of the list or of an element, is a 400 naming it.
     */
    public static List<JsonNode> objects(JsonNode node, String path) {
        JsonNode at = at(node, "", path);
        if (at == null) return List.of();
        if (!at.isArray()) throw new WrongType(path, at, "a list");
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < at.size(); i++) {
            if (!at.get(i).isObject()) throw new WrongType(path + "[" + i + "]", at.get(i), "an object");
            out.add(at.get(i));
        }
        return out;
    }

    /**
     * The node at {@code path} of {@code node} (named {@code where} in the payload); null when it, or an object on
     * the way, is absent or JSON null; a 400 naming the first node on the way that is not an object.
     */
    private static JsonNode at(JsonNode node, String where, String path) {
        String[] fields = path.split("\\.");
        JsonNode at = node;
        for (int i = 0; i < fields.length; i++) {
            if (at.isMissingNode() || at.isNull()) return null;
            if (!at.isObject()) throw new WrongType(name(where, Arrays.copyOf(fields, i)), at, "an object");
            at = at.path(fields[i]);
        }
        return at.isMissingNode() || at.isNull() ? null : at;
    }

    private static String name(String where, String[] fields) {
        String inner = String.join(".", fields);
        if (where.isEmpty()) return inner;
        return inner.isEmpty() ? where : where + "." + inner;
    }

    /** A payload field of another type than the host sends; {@link #parse} makes it a 400. */
    private static final class WrongType extends RuntimeException {
        WrongType(String field, JsonNode value, String expected) {
            super((field.isEmpty() ? "the payload" : "'" + field + "' in the payload") + " is " + kind(value) + " where the host sends " + expected
                    + ": the payload is not the host's", null, false, false);
        }

        private static String kind(JsonNode value) {
            return switch (value.getNodeType()) {
                case ARRAY -> "a list";
                case BOOLEAN -> "true or false";
                case NUMBER -> "a number";
                case OBJECT, POJO -> "an object";
                case STRING, BINARY -> "a string";
                default -> "not a value";
            };
        }
    }

    /** The non-blank text fields of {@code node}, in order and without repeats. */
    public static List<String> urls(JsonNode node, String... fields) {
        Set<String> urls = new LinkedHashSet<>();
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (value.isTextual() && !value.asText().isBlank()) urls.add(value.asText());
        }
        return List.copyOf(urls);
    }

    /**
     * The {@code payload} field of an {@code application/x-www-form-urlencoded} body, as GitHub sends it; an
     * {@link IllegalArgumentException} saying what is wrong when the body has no such field or it cannot be decoded.
     */
    public static byte[] formPayload(byte[] form) {
        String text = new String(form, StandardCharsets.US_ASCII);
        for (String pair : text.split("&")) {
            if (pair.startsWith("payload=")) {
                try {
                    return URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the form's 'payload' field has a malformed %-escape");
                }
            }
        }
        throw new IllegalArgumentException("the form-encoded body has no 'payload' field (sent as "
                + "application/x-www-form-urlencoded, the JSON must be its 'payload' field; or set the webhook's "
                + "content type to application/json)");
    }

    /** True for a form-encoded request. */
    public static boolean isForm(String contentType) {
        return contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** True for git's "no commit" ({@code 0000…}), null or blank. */
    public static boolean isZero(String sha) {
        return sha == null || sha.isBlank() || ZERO_SHA.matcher(sha).matches();
    }

    /** A SHA in lower case, or null when {@code text} is none (or git's zero SHA). */
    public static String sha(String text) {
        return text == null || isZero(text) || !SHA.matcher(text).matches() ? null : text.toLowerCase(Locale.ROOT);
    }

    /**
     * The files {@code commits[].added|removed|modified} name (GitHub, GitLab, Gitea), or null when a commit
     * lacks its lists, when there are none, or when the payload holds fewer commits than were pushed.
     */
    public static List<String> changedFiles(JsonNode commits, long totalCommits) {
        if (!commits.isArray() || commits.isEmpty() || totalCommits > commits.size()) return null;
        Set<String> files = new LinkedHashSet<>();
        for (JsonNode c : commits) {
            boolean listed = false;
            for (String kind : new String[]{"added", "removed", "modified"}) {
                JsonNode list = c.path(kind);
                if (!list.isArray()) continue;
                listed = true;
                list.forEach(f -> files.add(f.asText()));
            }
            if (!listed) return null;
        }
        return List.copyOf(files);
    }

    /**
     * A pull/merge request opened or updated: built at its head commit, fetched through the host's head ref
     * ({@code refs/pull/N/head}, GitLab's {@code refs/merge-requests/N/head}); a 400 when a part is missing.
     */
    public static WebhookOutcome pullRequest(GitHost host, List<String> urls, String headRefPattern, long number,
                                             String source, String target, String head, boolean fork, String message) {
        if (urls.isEmpty()) return new Rejected(400, "the pull request payload names no repository URL");
        if (number <= 0) return new Rejected(400, "the pull request payload has no number");
        if (source == null || source.isEmpty() || target == null || target.isEmpty()) {
            return new Rejected(400, "the pull request payload lacks its source or target branch");
        }
        if (head == null || !SHA.matcher(head).matches()) {
            return new Rejected(400, "the pull request payload's head commit '" + head + "' is not a SHA");
        }
        return new Accepted(new PushEvent(host, urls, headRefPattern.replace("N", Long.toString(number)), source, null,
                head.toLowerCase(Locale.ROOT), false, message, null, new PushEvent.PullRequestHead(number, target, fork)));
    }

    /**
     * The first of {@code paths} that holds a non-blank string, else null: who pushed is told when the payload says,
     * and a payload that says it otherwise is not refused for that.
     */
    public static String who(JsonNode payload, String... paths) {
        for (String path : paths) {
            JsonNode at = payload.at("/" + path.replace('.', '/'));
            if (at.isTextual() && !at.asText().isBlank()) return at.asText();
        }
        return null;
    }

    /** {@code outcome}'s events as pushed by {@code who}, the user the payload names; any other outcome as it is. */
    public static WebhookOutcome by(WebhookOutcome outcome, String who) {
        if (!(outcome instanceof Accepted a)) return outcome;
        return new Accepted(a.events().stream().map(e -> e.by(who)).toList(), a.eventName());
    }

    /**
     * A pull/merge request closed or merged: its head ref ({@code headRefPattern} with {@code N} for its number) is
     * gone from what Stoker builds, like a deleted branch, so what was kept of it (a Jobfile problem) goes too.
     */
    public static WebhookOutcome pullRequestClosed(GitHost host, List<String> urls, String headRefPattern, long number,
                                                   String source, String target) {
        if (urls.isEmpty()) return new Rejected(400, "the pull request payload names no repository URL");
        if (number <= 0) return new Rejected(400, "the pull request payload has no number");
        return new Accepted(new PushEvent(host, urls, headRefPattern.replace("N", Long.toString(number)), source, null,
                null, true, null, null, new PushEvent.PullRequestHead(number, target, false)));
    }

    /**
     * The push of {@code ref} with what the payload says: tag pushes and deletions are accepted as such (the reply
     * names them per project), a ref whose commit is git's zero SHA is a deletion. A push without its commit
     * ({@code after}, named by {@code afterField}) is a 400 unless the host flags it deleted: a missing field is a
     * payload that is not the host's, not a deletion.
     */
    public static WebhookOutcome push(GitHost host, List<String> urls, String ref, String before, String after,
                                      String afterField, boolean deletedFlag, String headMessage,
                                      List<String> changedFiles) {
        if (ref == null || ref.isEmpty()) {
            return new Rejected(400, "the push payload has no 'ref'");
        }
        if (!deletedFlag && (after == null || after.isBlank())) {
            return new Rejected(400, "the push payload has no " + afterField);
        }
        if (urls.isEmpty()) {
            return new Rejected(400, "the push payload names no repository URL");
        }
        boolean deleted = deletedFlag || isZero(after);
        if (!deleted && !SHA.matcher(after).matches()) {
            return new Rejected(400, "the push payload's commit '" + after + "' is not a SHA");
        }
        String branch = ref.startsWith(HEADS) && ref.length() > HEADS.length() ? ref.substring(HEADS.length()) : null;
        if (branch == null && !ref.startsWith(TAGS)) {
            return new Ignored("push to " + ref + ": only branches trigger builds");
        }
        return new Accepted(new PushEvent(host, urls, ref, branch, sha(before),
                deleted ? null : after.toLowerCase(Locale.ROOT), deleted, headMessage, changedFiles));
    }
}
