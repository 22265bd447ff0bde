package io.stoker.server.forge.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.server.forge.GitHost;
import io.stoker.server.forge.HookFormat;
import io.stoker.server.forge.Payloads;
import io.stoker.server.forge.Secrets;
import io.stoker.server.forge.WebhookOutcome;
import io.stoker.server.forge.WebhookOutcome.Ignored;
import io.stoker.server.forge.WebhookOutcome.Rejected;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * GitLab: {@code X-Gitlab-Event: Push Hook} / {@code Tag Push Hook} (or a {@code System Hook} push),
 * {@code X-Gitlab-Token} equal to the secret, {@code X-Gitlab-Event-UUID}. The payload lists at most 20 commits
 * ({@code total_commits_count} says how many were pushed). GitLab's "Test → Push events" sends a real push of the
 * default branch's last commits, so it is taken as a push. A {@code Merge Request Hook} that opens, reopens or
 * adds commits to a merge request ({@code update} with {@code oldrev}) builds its head
 * ({@code refs/merge-requests/N/head}); one that closes or merges it drops what was kept of that head.
 */
public final class GitlabHooks implements HookFormat {
    @Override
    public GitHost host() {
        return GitHost.GITLAB;
    }

    @Override
    public Rejected verify(UnaryOperator<String> header, byte[] body, String secret) {
        String token = header.apply("X-Gitlab-Token");
        if (token == null) {
            return Rejected.missing("X-Gitlab-Token", "missing X-Gitlab-Token header (set a secret token on the GitLab webhook)");
        }
        if (!Secrets.tokensEqual(secret, token)) {
            return Rejected.wrong("X-Gitlab-Token", "X-Gitlab-Token does not match this server's secret");
        }
        return null;
    }

    @Override
    public List<String> eventHeaders() {
        return List.of("X-Gitlab-Event");
    }

    @Override
    public List<String> deliveryHeaders() {
        return List.of("X-Gitlab-Event-UUID");
    }

    @Override
    public WebhookOutcome parse(UnaryOperator<String> header, byte[] body) {
        String event = event(header);
        if (event == null) {
            return new Rejected(400, "missing X-Gitlab-Event header");
        }
        return switch (event) {
            case "Push Hook", "Tag Push Hook", "System Hook" -> Payloads.parse(body, p -> {
                String kind = Objects.requireNonNullElse(Payloads.text(p, "object_kind"),
                        Objects.requireNonNullElse(Payloads.text(p, "event_name"), ""));
                if (!kind.equals("push") && !kind.equals("tag_push")) {
                    return new Ignored("'" + event + "' with '" + kind + "' does not trigger builds");
                }
                return Payloads.by(push(p), Payloads.who(p, "user_username"));
            });
            case "Merge Request Hook" -> Payloads.parse(body, p -> Payloads.by(mergeRequest(p), Payloads.who(p, "user.username")));
            default -> new Ignored("'" + event + "' events do not trigger builds");
        };
    }

    private static WebhookOutcome push(JsonNode p) {
        // checkout_sha is the head after the push, null when the branch was deleted
        String commit = Payloads.text(p, "checkout_sha");
        if (commit == null) commit = Payloads.text(p, "after");
        Set<String> urls = new LinkedHashSet<>(Payloads.urls(p.path("project"),
                "git_http_url", "git_ssh_url", "web_url", "http_url", "ssh_url"));
        urls.addAll(Payloads.urls(p.path("repository"), "git_http_url", "git_ssh_url", "homepage", "url"));
        JsonNode commits = p.path("commits");
        String message = null;
        for (JsonNode c : commits) {
            if (c.path("id").asText("").equals(commit)) message = c.path("message").asText(null);
        }
        long total = p.path("total_commits_count").asLong(commits.size());
        return Payloads.push(GitHost.GITLAB, List.copyOf(urls), Payloads.text(p, "ref"), Payloads.text(p, "before"),
                commit, "'checkout_sha' or 'after'", false, message, Payloads.changedFiles(commits, total));
    }

    private static WebhookOutcome mergeRequest(JsonNode p) {
        JsonNode mr = p.path("object_attributes");
        if (!mr.isObject()) return new Rejected(400, "the merge request payload lacks its 'object_attributes'");
        String action = Objects.requireNonNullElse(Payloads.text(mr, "action"), "");
        // an update without oldrev changed the title, labels or the like, not the commits
        String oldrev = Payloads.text(mr, "oldrev");
        boolean newCommits = action.equals("update") && oldrev != null && !oldrev.isEmpty();
        JsonNode project = p.path("project");
        List<String> urls = Payloads.urls(project, "git_http_url", "git_ssh_url", "web_url", "http_url", "ssh_url");
        if (action.equals("close") || action.equals("merge")) {
            return Payloads.pullRequestClosed(GitHost.GITLAB, urls, "refs/merge-requests/N/head", mr.path("iid").asLong(),
                    Payloads.text(p, "object_attributes.source_branch"),
                    Payloads.text(p, "object_attributes.target_branch"));
        }
        if (!action.equals("open") && !action.equals("reopen") && !newCommits) {
            return Ignored.pullRequest("merge request '" + action + "' does not trigger builds");
        }
        boolean fork = mr.path("source_project_id").asLong(-1) != mr.path("target_project_id").asLong(-2);
        return Payloads.pullRequest(GitHost.GITLAB, urls, "refs/merge-requests/N/head", mr.path("iid").asLong(),
                Payloads.text(p, "object_attributes.source_branch"), Payloads.text(p, "object_attributes.target_branch"),
                Payloads.text(p, "object_attributes.last_commit.id"), fork,
                Payloads.text(p, "object_attributes.last_commit.message"));
    }
}
