package io.stoker.server.forge.github;

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
 * GitHub: {@code X-GitHub-Event}, {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>},
 * {@code X-GitHub-Delivery}; the body is JSON or, GitHub's default, {@code application/x-www-form-urlencoded} with
 * the JSON in its {@code payload} field (the signature covers the encoded bytes). The {@code commits} array stops at
 * 2,048 entries and is empty for a force push that adds none; then the changed files are left unknown. A
 * {@code pull_request} opened, synchronized or reopened builds its head ({@code refs/pull/N/head}).
 */
public final class GithubHooks implements HookFormat {
    /** GitHub lists at most this many commits of a push in its payload. */
    static final int MAX_LISTED_COMMITS = 2048;
    private static final java.util.Set<String> BUILT_ACTIONS = java.util.Set.of("opened", "synchronize", "reopened");
    private static final String[] REPOSITORY_URLS = {"clone_url", "html_url", "ssh_url", "git_url", "url"};

    @Override
    public GitHost host() {
        return GitHost.GITHUB;
    }

    @Override
    public Rejected verify(UnaryOperator<String> header, byte[] body, String secret) {
        String name = "X-Hub-Signature-256";
        return Secrets.sha256Header(name, header.apply(name), "GitHub", body, secret);
    }

    @Override
    public List<String> eventHeaders() {
        return List.of("X-GitHub-Event");
    }

    @Override
    public List<String> deliveryHeaders() {
        return List.of("X-GitHub-Delivery");
    }

    @Override
    public WebhookOutcome parse(UnaryOperator<String> header, byte[] body) {
        String event = event(header);
        if (event == null) {
            return new Rejected(400, "missing X-GitHub-Event header");
        }
        byte[] json;
        try {
            json = Payloads.isForm(header.apply("Content-Type")) ? Payloads.formPayload(body) : body;
        } catch (IllegalArgumentException e) {
            return new Rejected(400, e.getMessage());
        }
        return switch (event) {
            case "push" -> Payloads.parse(json, p -> Payloads.by(push(p), Payloads.who(p, "sender.login", "pusher.name")));
            case "pull_request" -> Payloads.parse(json, p -> Payloads.by(pullRequest(p), Payloads.who(p, "sender.login")));
            // a repository hook's ping names the repository; an organisation hook's does not
            case "ping" -> Payloads.parse(json, p -> new Ping("ping", Payloads.urls(p.path("repository"), REPOSITORY_URLS)));
            default -> new Ignored("'" + event + "' events do not trigger builds");
        };
    }

    /**
     * {@code opened}, {@code synchronize} (new commits) and {@code reopened} build; {@code closed} (merged or not)
     * drops what was kept of its head; other actions do nothing.
     */
    private static WebhookOutcome pullRequest(JsonNode p) {
        String action = Objects.requireNonNullElse(Payloads.text(p, "action"), "");
        JsonNode pr = p.path("pull_request");
        if (action.equals("closed")) {
            return Payloads.pullRequestClosed(GitHost.GITHUB, Payloads.urls(p.path("repository"), REPOSITORY_URLS),
                    "refs/pull/N/head", pr.path("number").asLong(p.path("number").asLong()),
                    Payloads.text(p, "pull_request.head.ref"), Payloads.text(p, "pull_request.base.ref"));
        }
        if (!BUILT_ACTIONS.contains(action)) return Ignored.pullRequest("pull_request '" + action + "' does not trigger builds");
        JsonNode head = pr.path("head");
        JsonNode base = pr.path("base");
        // a deleted fork leaves head.repo null: still a fork
        boolean fork = head.path("repo").isNull() || head.path("repo").isMissingNode()
                || !head.path("repo").path("full_name").asText("").equals(base.path("repo").path("full_name").asText(""));
        return Payloads.pullRequest(GitHost.GITHUB, Payloads.urls(p.path("repository"), REPOSITORY_URLS),
                "refs/pull/N/head", pr.path("number").asLong(p.path("number").asLong()),
                Payloads.text(p, "pull_request.head.ref"), Payloads.text(p, "pull_request.base.ref"),
                Payloads.text(p, "pull_request.head.sha"), fork, null);
    }

    private WebhookOutcome push(JsonNode p) {
        JsonNode commits = p.path("commits");
        // a force push may list none of the commits now on the branch; 2,048 may be a truncated list
        boolean complete = !p.path("forced").asBoolean(false) && commits.size() < MAX_LISTED_COMMITS;
        String message = Payloads.text(p, "head_commit.message");
        return Payloads.push(GitHost.GITHUB, Payloads.urls(p.path("repository"), REPOSITORY_URLS),
                Payloads.text(p, "ref"), Payloads.text(p, "before"), Payloads.text(p, "after"), "'after'",
                p.path("deleted").asBoolean(false), message,
                complete ? Payloads.changedFiles(commits, commits.size()) : null);
    }
}
