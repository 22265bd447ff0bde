package io.stoker.server.forge.gitea;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.server.forge.GitHost;
import io.stoker.server.forge.HookFormat;
import io.stoker.server.forge.Payloads;
import io.stoker.server.forge.Secrets;
import io.stoker.server.forge.WebhookOutcome;
import io.stoker.server.forge.WebhookOutcome.Ignored;
import io.stoker.server.forge.WebhookOutcome.Ping;
import io.stoker.server.forge.WebhookOutcome.Rejected;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Gitea, Forgejo and Gogs: {@code X-Gitea-Event} (or {@code X-Forgejo-Event}, {@code X-Gogs-Event}),
 * {@code X-Gitea-Signature: <hex HMAC-SHA256>} (or {@code X-Forgejo-Signature}, {@code X-Gogs-Signature}),
 * {@code X-Gitea-Delivery}. A {@code delete} event of a branch or tag is its
 * deletion. "Test Delivery" sends a push whose {@code before} equals its {@code after} (both git's zero SHA for an
 * empty repository): it is answered as a ping.
 * A {@code pull_request} opened, synchronized or reopened builds its head ({@code refs/pull/N/head}).
 */
public final class GiteaHooks implements HookFormat {
    private static final List<String> EVENT_HEADERS = List.of("X-Gitea-Event", "X-Forgejo-Event", "X-Gogs-Event");

    private static final String[] REPOSITORY_URLS = {"clone_url", "html_url", "ssh_url"};

    @Override
    public GitHost host() {
        return GitHost.GITEA;
    }

    @Override
    public Rejected verify(UnaryOperator<String> header, byte[] body, String secret) {
        String signature = HookFormat.firstHeader(header, List.of("X-Gitea-Signature", "X-Forgejo-Signature",
                "X-Gogs-Signature"));
        if (signature == null) {
            return Rejected.missing("X-Gitea-Signature", "missing X-Gitea-Signature header (set a secret on the Gitea webhook)");
        }
        if (!Secrets.signatureMatches(secret, body, signature)) {
            return Rejected.wrong("X-Gitea-Signature", "X-Gitea-Signature does not match the body signed with this server's secret");
        }
        return null;
    }

    @Override
    public List<String> eventHeaders() {
        return EVENT_HEADERS;
    }

    @Override
    public List<String> deliveryHeaders() {
        return List.of("X-Gitea-Delivery", "X-Forgejo-Delivery", "X-Gogs-Delivery");
    }

    @Override
    public WebhookOutcome parse(UnaryOperator<String> header, byte[] body) {
        String event = event(header);
        if (event == null) {
            return new Rejected(400, "missing X-Gitea-Event header");
        }
        return switch (event) {
            case "push" -> Payloads.parse(body, p -> Payloads.by(push(p), Payloads.who(p, "pusher.login", "sender.login")));
            case "delete" -> Payloads.parse(body, p -> Payloads.by(deletion(p), Payloads.who(p, "sender.login")));
            case "pull_request" -> Payloads.parse(body, p -> Payloads.by(pullRequest(p), Payloads.who(p, "sender.login")));
            default -> new Ignored("'" + event + "' events do not trigger builds");
        };
    }

    /**
     * {@code opened}, {@code synchronized} (new commits) and {@code reopened} build; {@code closed} (merged or not)
     * drops what was kept of its head; other actions do nothing.
     */
    private static WebhookOutcome pullRequest(JsonNode p) {
        String action = Objects.requireNonNullElse(Payloads.text(p, "action"), "");
        JsonNode pr = p.path("pull_request");
        if (action.equals("closed")) {
            return Payloads.pullRequestClosed(GitHost.GITEA, Payloads.urls(p.path("repository"), REPOSITORY_URLS),
                    "refs/pull/N/head", pr.path("number").asLong(p.path("number").asLong()),
                    Payloads.text(p, "pull_request.head.ref"), Payloads.text(p, "pull_request.base.ref"));
        }
        if (!List.of("opened", "synchronized", "reopened").contains(action)) {
            return Ignored.pullRequest("pull_request '" + action + "' does not trigger builds");
        }
        JsonNode head = pr.path("head");
        JsonNode base = pr.path("base");
        boolean fork = head.path("repo_id").asLong(-1) != base.path("repo_id").asLong(-2);
        return Payloads.pullRequest(GitHost.GITEA, Payloads.urls(p.path("repository"), REPOSITORY_URLS),
                "refs/pull/N/head", pr.path("number").asLong(p.path("number").asLong()),
                Payloads.text(p, "pull_request.head.ref"), Payloads.text(p, "pull_request.base.ref"),
                Payloads.text(p, "pull_request.head.sha"), fork, null);
    }

    /**
     * A {@code delete} event names the short ref ({@code feature/x}, {@code v1}) and its kind. Gitea sends no push for
     * a deleted branch or tag, only this: it is taken as the push that deletes the ref, so what was kept of it (a
     * Jobfile problem) goes as with the other hosts.
     */
    private static WebhookOutcome deletion(JsonNode p) {
        String ref = Objects.requireNonNullElse(Payloads.text(p, "ref"), "");
        String type = Objects.requireNonNullElse(Payloads.text(p, "ref_type"), "ref");
        String prefix = switch (type) {
            case "branch" -> Payloads.HEADS;
            case "tag" -> Payloads.TAGS;
            default -> null;
        };
        if (prefix == null || ref.isEmpty()) return new Ignored("deleting a " + type + " does not trigger builds");
        WebhookOutcome deleted = Payloads.push(GitHost.GITEA, Payloads.urls(p.path("repository"), REPOSITORY_URLS),
                prefix + ref, null, null, "'after'", true, null, null);
        // the reply names the event as Gitea's delivery log does
        return deleted instanceof WebhookOutcome.Accepted a ? a.named("delete") : deleted;
    }

    private static WebhookOutcome push(JsonNode p) {
        List<String> urls = Payloads.urls(p.path("repository"), REPOSITORY_URLS);
        String before = Payloads.text(p, "before");
        String after = Payloads.text(p, "after");
        // no push leaves a ref where it was; an empty repository's test delivery has the zero SHA on both sides
        if (after != null && after.equalsIgnoreCase(before)) return new Ping("test delivery", urls);
        JsonNode commits = p.path("commits");
        String message = Payloads.text(p, "head_commit.message");
        if (message == null) {
            for (JsonNode c : commits) {
                if (c.path("id").asText("").equals(after)) message = c.path("message").asText(null);
            }
        }
        return Payloads.push(GitHost.GITEA, urls, Payloads.text(p, "ref"), before, after, "'after'", false, message,
                Payloads.changedFiles(commits, p.path("total_commits").asLong(commits.size())));
    }
}
