package io.stoker.server.forge;

import io.stoker.model.Job;
import io.stoker.server.Problem;
import io.stoker.server.git.GitCredentialsLookup;
import io.stoker.server.git.GitMirrorException;
import io.stoker.server.git.GitMirrors;
import io.stoker.server.project.Project;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Acts on push webhooks: the signature is checked against every project's secret (its own or the server's
 * default); the projects whose secret verifies and whose git URL is the payload's repository sync their mirror,
 * compile the Jobfile <em>at the pushed commit</em> and start each job whose {@code push} branch filter matches.
 * Every run it starts is queued (a busy job waits rather than refusing its trigger).
 */
public final class PushHooks {
    private static final Logger LOG = LoggerFactory.getLogger(PushHooks.class);

    private final ProjectService projects;
    private final RunService runs;
    private final GitMirrors mirrors;
    private final GitCredentialsLookup credentials;
    private final Supplier<String> defaultSecret;
    private final SeenDeliveries deliveries;

    /** What a webhook request is answered: status and JSON body. */
    public record HookReply(int status, Map<String, Object> body) {
    }

    public PushHooks(ProjectService projects, RunService runs, GitMirrors mirrors, GitCredentialsLookup credentials,
                     Supplier<String> defaultSecret, SeenDeliveries deliveries) {
        this.projects = projects;
        this.runs = runs;
        this.mirrors = mirrors;
        this.credentials = credentials;
        this.defaultSecret = defaultSecret;
        this.deliveries = deliveries;
    }

    /**
     * Verifies and acts on a push webhook. 401 (and nothing runs) unless the signature verifies with the secret of
     * a project whose git URL is the payload's repository; an unknown repository is 401 as well, so the answer
     * does not tell which repositories exist. A verified delivery without an id is a 400, one whose id was seen
     * before a 409 (a replay). Blocking (git, compile).
     */
    public HookReply push(GitHost host, UnaryOperator<String> header, byte[] body) throws SQLException {
        Map<String, List<Project>> bySecret = new LinkedHashMap<>();
        String serverSecret = defaultSecret.get();
        for (Project p : projects.list()) {
            String secret = p.webhookSecret() != null ? p.webhookSecret() : serverSecret;
            if (p.isGit() && secret != null) bySecret.computeIfAbsent(secret, s -> new ArrayList<>()).add(p);
        }
        List<Project> matched = new ArrayList<>();
        PushEvent event = null;
        String ignored = null;
        WebhookOutcome.Rejected malformed = null;
        for (var entry : bySecret.entrySet()) {
            // each distinct secret is tried (the comparison itself is constant-time), then the URL decides
            switch (PushWebhooks.receive(host, header, body, entry.getKey())) {
                case WebhookOutcome.Accepted a -> {
                    for (Project p : entry.getValue()) {
                        if (RepositoryUrls.matchesAny(p.gitUrl(), a.event().repositoryUrls())) {
                            matched.add(p);
                            event = a.event();
                        }
                    }
                }
                case WebhookOutcome.Ignored i -> ignored = i.reason();
                case WebhookOutcome.Rejected r -> {
                    if (r.status() != 401) malformed = r;
                }
            }
        }
        if (matched.isEmpty() && ignored == null) {
            if (malformed != null) throw Problem.badRequest(malformed.reason());
            throw new Problem(401, "unauthorized", "the " + host.path() + " webhook's signature does not verify "
                    + "for any project with this repository", List.of());
        }
        String delivery = PushWebhooks.deliveryId(host, header); // verified present by PushWebhooks
        if (!deliveries.firstSeen(host, delivery)) {
            throw Problem.conflict("replayed", "delivery '" + delivery + "' was received before; a replayed "
                    + host.path() + " webhook is refused");
        }
        if (matched.isEmpty()) return new HookReply(202, Map.of("ignored", ignored, "runs", List.of()));
        if (!event.buildable()) {
            return new HookReply(202, Map.of("ignored", "branch '" + event.branch() + "' was deleted", "runs", List.of()));
        }
        List<Map<String, Object>> started = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Project p : matched) {
            try {
                started.addAll(pushed(p, event));
            } catch (Problem | GitMirrorException e) {
                String details = e instanceof Problem pr && !pr.details().isEmpty() ? " " + pr.details() : "";
                problems.add(p.name() + ": " + e.getMessage() + details);
            }
        }
        // nothing started because of our side (git, compile): the host's own redelivery may try again
        if (started.isEmpty() && !problems.isEmpty()) deliveries.forget(host, delivery);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("runs", started);
        if (!problems.isEmpty()) reply.put("problems", problems);
        return new HookReply(started.isEmpty() ? 200 : 202, reply);
    }

    private List<Map<String, Object>> pushed(Project p, PushEvent event) throws SQLException {
        mirrors.sync(p.name(), p.gitUrl(), credentials.require(p.name(), p.credentials()));
        String commit = mirrors.resolve(p.name(), event.commit());
        Map<String, Object> metadata = Map.of("push", Map.of("host", event.host().path(), "branch", event.branch(),
                "commit", commit));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Job job : projects.compileAt(p.name(), commit).jobs()) {
            if (job.triggers().push().stream().anyMatch(push -> BranchFilter.matches(push.branches(), event.branch()))) {
                RunService.Queued q = runs.start(p.name(), job, p.gitUrl(), commit, event.branch(), Map.of(),
                        metadata, "push");
                LOG.info("push started run {} of {}/{}", q.key(), p.name(), job.name());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", q.key());
                m.put("number", q.number());
                m.put("project", p.name());
                m.put("job", job.name());
                out.add(m);
            }
        }
        return out;
    }
}
