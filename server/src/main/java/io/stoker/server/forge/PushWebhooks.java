package io.stoker.server.forge;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stoker.server.forge.WebhookOutcome.Accepted;
import io.stoker.server.forge.WebhookOutcome.Ignored;
import io.stoker.server.forge.WebhookOutcome.Rejected;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Turns a push webhook request into a {@link WebhookOutcome}, using each host's real headers and payloads:
 * <ul>
 *   <li>GitHub: {@code X-GitHub-Event}, {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>};
 *       JSON or {@code application/x-www-form-urlencoded} ({@code payload=<json>}) bodies.</li>
 *   <li>GitLab: {@code X-Gitlab-Event: Push Hook} (or a {@code System Hook} push), {@code X-Gitlab-Token} equal
 *       to the secret.</li>
 *   <li>Gitea (and Forgejo): {@code X-Gitea-Event}, {@code X-Gitea-Signature: <hex HMAC-SHA256>}; a {@code delete}
 *       event of a branch is reported as a deletion.</li>
 * </ul>
 * The signature or token is checked before anything in the body is looked at; then the delivery id
 * ({@code X-GitHub-Delivery}, {@code X-Gitlab-Event-UUID}, {@code X-Gitea-Delivery}) must be present, so that the
 * caller can refuse replays ({@link SeenDeliveries}). Never throws for bad input.
 */
public final class PushWebhooks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ZERO_SHA = Pattern.compile("0+");
    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private PushWebhooks() {
    }

    /**
     * @param host   which host's format to expect (from the hook URL)
     * @param header the request's header lookup by name, case-insensitive (e.g. {@code request::getHeader});
     *               returns null when absent
     * @param body   the raw request body, exactly as received (the signature covers these bytes)
     * @param secret the shared webhook secret; null or blank rejects every request (unsigned hooks are not accepted)
     */
    public static WebhookOutcome receive(GitHost host, UnaryOperator<String> header, byte[] body, String secret) {
        if (secret == null || secret.isBlank()) {
            return new Rejected(401, "no webhook secret is configured on this server, so no webhook is trusted");
        }
        byte[] raw = body == null ? new byte[0] : body;
        Rejected refused = switch (host) {
            case GITHUB -> verifyGithub(header, raw, secret);
            case GITLAB -> verifyGitlab(header, secret);
            case GITEA -> verifyGitea(header, raw, secret);
        };
        if (refused != null) return refused;
        // only a verified delivery is asked for its id: an unsigned request learns nothing
        String id = firstHeader(header, deliveryHeaders(host));
        if (id == null || id.isBlank()) {
            return new Rejected(400, "missing " + deliveryHeaders(host)[0] + " header: every delivery must carry "
                    + "its id, so that a replayed one can be refused");
        }
        if (!DELIVERY_ID.matcher(id).matches()) {
            return new Rejected(400, deliveryHeaders(host)[0] + " must be 1 to 200 letters, digits, '-', '_', '.' or ':'");
        }
        return switch (host) {
            case GITHUB -> github(header, raw);
            case GITLAB -> gitlab(header, raw);
            case GITEA -> gitea(header, raw);
        };
    }

    /**
     * The delivery id of a request: {@code X-GitHub-Delivery}, {@code X-Gitlab-Event-UUID}, or
     * {@code X-Gitea-Delivery} (also Forgejo's and Gogs' names); null when absent.
     */
    public static String deliveryId(GitHost host, UnaryOperator<String> header) {
        String id = firstHeader(header, deliveryHeaders(host));
        return id == null || id.isBlank() ? null : id;
    }

    private static String[] deliveryHeaders(GitHost host) {
        return switch (host) {
            case GITHUB -> new String[]{"X-GitHub-Delivery"};
            case GITLAB -> new String[]{"X-Gitlab-Event-UUID"};
            case GITEA -> new String[]{"X-Gitea-Delivery", "X-Forgejo-Delivery", "X-Gogs-Delivery"};
        };
    }

    private static Rejected verifyGithub(UnaryOperator<String> header, byte[] body, String secret) {
        String signature = header.apply("X-Hub-Signature-256");
        if (signature == null) {
            return new Rejected(401, "missing X-Hub-Signature-256 header (set a secret on the GitHub webhook)");
        }
        if (!signature.startsWith("sha256=") || !Secrets.signatureMatches(secret, body, signature.substring(7))) {
            return new Rejected(401, "X-Hub-Signature-256 does not match the body signed with this server's secret");
        }
        return null;
    }

    private static Rejected verifyGitlab(UnaryOperator<String> header, String secret) {
        String token = header.apply("X-Gitlab-Token");
        if (token == null) {
            return new Rejected(401, "missing X-Gitlab-Token header (set a secret token on the GitLab webhook)");
        }
        if (!Secrets.tokensEqual(secret, token)) {
            return new Rejected(401, "X-Gitlab-Token does not match this server's secret");
        }
        return null;
    }

    private static Rejected verifyGitea(UnaryOperator<String> header, byte[] body, String secret) {
        String signature = firstHeader(header, "X-Gitea-Signature", "X-Forgejo-Signature");
        if (signature == null) {
            return new Rejected(401, "missing X-Gitea-Signature header (set a secret on the Gitea webhook)");
        }
        if (!Secrets.signatureMatches(secret, body, signature)) {
            return new Rejected(401, "X-Gitea-Signature does not match the body signed with this server's secret");
        }
        return null;
    }

    private static WebhookOutcome github(UnaryOperator<String> header, byte[] body) {
        String event = header.apply("X-GitHub-Event");
        if (event == null) {
            return new Rejected(400, "missing X-GitHub-Event header");
        }
        String json = new String(body, StandardCharsets.UTF_8);
        String type = header.apply("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            json = formPayload(json);
        }
        return switch (event) {
            case "push" -> parse(json, payload -> branchPush(GitHost.GITHUB, payload, payload.path("after").asText(null),
                    payload.path("deleted").asBoolean(false),
                    urls(payload.path("repository"), "clone_url", "html_url", "ssh_url", "git_url", "url")));
            case "ping" -> new Ignored("ping event: the webhook is set up");
            default -> new Ignored("'" + event + "' events do not trigger builds");
        };
    }

    private static WebhookOutcome gitlab(UnaryOperator<String> header, byte[] body) {
        String event = header.apply("X-Gitlab-Event");
        if (event == null) {
            return new Rejected(400, "missing X-Gitlab-Event header");
        }
        return switch (event) {
            case "Push Hook", "System Hook" -> parse(new String(body, StandardCharsets.UTF_8), payload -> {
                String kind = payload.path("object_kind").asText(payload.path("event_name").asText(""));
                if (kind.equals("tag_push")) {
                    return new Ignored("tag push " + payload.path("ref").asText("") + ": tags do not trigger builds");
                }
                if (!kind.equals("push")) {
                    return new Ignored("'" + event + "' with '" + kind + "' does not trigger builds");
                }
                // checkout_sha is the head after the push, null when the branch was deleted
                String commit = payload.path("checkout_sha").asText(null);
                if (commit == null) {
                    commit = payload.path("after").asText(null);
                }
                Set<String> urls = new LinkedHashSet<>(urls(payload.path("project"),
                        "git_http_url", "git_ssh_url", "web_url", "http_url", "ssh_url"));
                urls.addAll(urls(payload.path("repository"), "git_http_url", "git_ssh_url", "homepage", "url"));
                return branchPush(GitHost.GITLAB, payload, commit, false, List.copyOf(urls));
            });
            case "Tag Push Hook" -> new Ignored("tag push: tags do not trigger builds");
            default -> new Ignored("'" + event + "' events do not trigger builds");
        };
    }

    private static WebhookOutcome gitea(UnaryOperator<String> header, byte[] body) {
        String event = firstHeader(header, "X-Gitea-Event", "X-Forgejo-Event", "X-Gogs-Event");
        if (event == null) {
            return new Rejected(400, "missing X-Gitea-Event header");
        }
        String json = new String(body, StandardCharsets.UTF_8);
        return switch (event) {
            case "push" -> parse(json, payload -> branchPush(GitHost.GITEA, payload, payload.path("after").asText(null),
                    false, urls(payload.path("repository"), "clone_url", "html_url", "ssh_url")));
            case "delete" -> parse(json, payload -> {
                // a delete event names the short ref ("feature/x") and its kind
                String ref = payload.path("ref").asText("");
                if (!payload.path("ref_type").asText("").equals("branch") || ref.isEmpty()) {
                    return new Ignored("deleting a " + payload.path("ref_type").asText("ref") + " does not trigger builds");
                }
                return new Accepted(new PushEvent(GitHost.GITEA,
                        urls(payload.path("repository"), "clone_url", "html_url", "ssh_url"), ref, null, true));
            });
            default -> new Ignored("'" + event + "' events do not trigger builds");
        };
    }

    private static WebhookOutcome branchPush(GitHost host, JsonNode payload, String after, boolean deletedFlag,
                                             List<String> urls) {
        String ref = payload.path("ref").asText(null);
        if (ref == null || ref.isEmpty()) {
            return new Rejected(400, "the push payload has no 'ref'");
        }
        if (ref.startsWith(TAGS)) {
            return new Ignored("tag push " + ref + ": tags do not trigger builds");
        }
        if (!ref.startsWith(HEADS) || ref.length() == HEADS.length()) {
            return new Ignored("push to " + ref + ": only branches trigger builds");
        }
        if (urls.isEmpty()) {
            return new Rejected(400, "the push payload names no repository URL");
        }
        boolean deleted = deletedFlag || after == null || ZERO_SHA.matcher(after).matches();
        if (!deleted && !after.matches("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")) {
            return new Rejected(400, "the push payload's commit '" + after + "' is not a SHA");
        }
        return new Accepted(new PushEvent(host, urls, ref.substring(HEADS.length()),
                deleted ? null : after.toLowerCase(Locale.ROOT), deleted));
    }

    private interface PayloadReader {
        WebhookOutcome read(JsonNode payload);
    }

    private static WebhookOutcome parse(String json, PayloadReader reader) {
        JsonNode payload;
        try {
            payload = JSON.readTree(json);
        } catch (JacksonException e) {
            return new Rejected(400, "the payload is not valid JSON: " + e.getOriginalMessage());
        }
        if (payload == null || !payload.isObject()) {
            return new Rejected(400, "the payload is not a JSON object");
        }
        return reader.read(payload);
    }

    private static List<String> urls(JsonNode repository, String... fields) {
        Set<String> urls = new LinkedHashSet<>();
        for (String field : fields) {
            JsonNode value = repository.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                urls.add(value.asText());
            }
        }
        return List.copyOf(urls);
    }

    private static String formPayload(String form) {
        for (String pair : form.split("&")) {
            if (pair.startsWith("payload=")) {
                try {
                    return URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return ""; // malformed %-escapes: reported as a payload that is not JSON
                }
            }
        }
        return "";
    }

    private static String firstHeader(UnaryOperator<String> header, String... names) {
        for (String name : names) {
            String value = header.apply(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
