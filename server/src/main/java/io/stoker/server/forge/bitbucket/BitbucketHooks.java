package io.stoker.server.forge.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.server.forge.GitHost;
import io.stoker.server.forge.HookFormat;
import io.stoker.server.forge.Payloads;
import io.stoker.server.forge.PushEvent;
import io.stoker.server.forge.RepositoryUrls;
import io.stoker.server.forge.Secrets;
import io.stoker.server.forge.WebhookOutcome;
import io.stoker.server.forge.WebhookOutcome.Accepted;
import io.stoker.server.forge.WebhookOutcome.Ignored;
import io.stoker.server.forge.WebhookOutcome.Ping;
import io.stoker.server.forge.WebhookOutcome.Rejected;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Bitbucket Cloud and Bitbucket Data Center at one URL, told apart by {@code X-Event-Key}:
 * <ul>
 *   <li>Cloud: {@code repo:push}, {@code X-Hub-Signature: sha256=<hex>}, {@code X-Request-UUID}; each of
 *       {@code push.changes[]} is one ref, {@code new} null when it was deleted.</li>
 *   <li>Data Center: {@code repo:refs_changed}, {@code X-Hub-Signature: sha256=<hex>}, {@code X-Request-Id};
 *       {@code changes[]} with {@code refId}, {@code fromHash}, {@code toHash}, {@code type} ADD/UPDATE/DELETE. Its
 *       payload names the repository by project key and slug only, so that path is matched on any host.
 *       "Test connection" sends {@code diagnostics:ping}.</li>
 * </ul>
 * Neither lists changed files, so path filters are always decided from the server's mirror.
 */
public final class BitbucketHooks implements HookFormat {
    @Override
    public GitHost host() {
        return GitHost.BITBUCKET;
    }

    @Override
    public Rejected verify(UnaryOperator<String> header, byte[] body, String secret) {
        String name = "X-Hub-Signature";
        return Secrets.sha256Header(name, header.apply(name), "Bitbucket", body, secret);
    }

    @Override
    public List<String> eventHeaders() {
        return List.of("X-Event-Key");
    }

    @Override
    public List<String> deliveryHeaders() {
        return List.of("X-Request-UUID", "X-Request-Id");
    }

    @Override
    public WebhookOutcome parse(UnaryOperator<String> header, byte[] body) {
        String event = event(header);
        if (event == null) {
            return new Rejected(400, "missing X-Event-Key header");
        }
        return switch (event) {
            case "repo:push" -> Payloads.parse(body, p -> Payloads.by(cloud(p),
                    Payloads.who(p, "actor.nickname", "actor.display_name")));
            case "repo:refs_changed" -> Payloads.parse(body, p -> Payloads.by(dataCenter(p), Payloads.who(p, "actor.name")));
            case "diagnostics:ping" -> new Ping(event, List.of());
            default -> new Ignored("'" + event + "' events do not trigger builds");
        };
    }

    private static WebhookOutcome cloud(JsonNode p) {
        JsonNode repo = p.path("repository");
        Set<String> urls = new LinkedHashSet<>();
        String html = repo.path("links").path("html").path("href").asText("");
        if (!html.isBlank()) urls.add(html);
        String fullName = repo.path("full_name").asText("");
        if (!fullName.isBlank()) urls.add("https://bitbucket.org/" + fullName);
        List<PushEvent> events = new ArrayList<>();
        List<JsonNode> changes = Payloads.objects(p, "push.changes");
        for (int i = 0; i < changes.size(); i++) {
            JsonNode change = changes.get(i);
            String at = "push.changes[" + i + "]";
            JsonNode now = change.path("new");
            JsonNode old = change.path("old");
            JsonNode named = now.isObject() ? now : old;
            String namedAt = at + (now.isObject() ? ".new" : ".old");
            String name = Objects.requireNonNullElse(Payloads.text(named, namedAt, "name"), "");
            String type = Objects.requireNonNullElse(Payloads.text(named, namedAt, "type"), "branch");
            if (name.isEmpty()) continue;
            String ref = (type.equals("tag") ? Payloads.TAGS : Payloads.HEADS) + name;
            String after = now.isObject() ? Payloads.text(now, at + ".new", "target.hash") : null;
            WebhookOutcome one = Payloads.push(GitHost.BITBUCKET, List.copyOf(urls), ref,
                    Payloads.text(old, at + ".old", "target.hash"), after, "'" + at + ".new.target.hash'",
                    !now.isObject(), Payloads.text(now, at + ".new", "target.message"), null);
            if (one instanceof Accepted a) events.addAll(a.events());
            else if (one instanceof Rejected r) return r;
        }
        return events.isEmpty() ? Ignored.push("the push changes no branch or tag") : new Accepted(events);
    }

    private static WebhookOutcome dataCenter(JsonNode p) {
        JsonNode repo = p.path("repository");
        Set<String> urls = new LinkedHashSet<>();
        for (JsonNode clone : repo.path("links").path("clone")) {
            String href = clone.path("href").asText("");
            if (!href.isBlank()) urls.add(href);
        }
        String key = repo.path("project").path("key").asText("");
        String slug = repo.path("slug").asText("");
        if (!key.isBlank() && !slug.isBlank()) urls.add(RepositoryUrls.anyHost(key.toLowerCase(Locale.ROOT) + "/" + slug));
        List<PushEvent> events = new ArrayList<>();
        List<JsonNode> changes = Payloads.objects(p, "changes");
        for (int i = 0; i < changes.size(); i++) {
            JsonNode change = changes.get(i);
            String at = "changes[" + i + "]";
            String ref = Payloads.text(change, at, "refId");
            if (ref == null) ref = Payloads.text(change, at, "ref.id");
            boolean deleted = "DELETE".equals(Payloads.text(change, at, "type"));
            WebhookOutcome one = Payloads.push(GitHost.BITBUCKET, List.copyOf(urls), ref,
                    Payloads.text(change, at, "fromHash"), deleted ? null : Payloads.text(change, at, "toHash"),
                    "'" + at + ".toHash'", deleted, null, null);
            if (one instanceof Accepted a) events.addAll(a.events());
            else if (one instanceof Rejected r) return r;
        }
        return events.isEmpty() ? Ignored.push("the push changes no branch or tag") : new Accepted(events);
    }
}
