package io.stoker.dsl.validate;

import io.stoker.model.DidYouMean;
import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.NotifyDraft;
import io.stoker.model.Notify;
import io.stoker.model.NotifyEvent;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code notify} blocks: known events, at least one receiver, mail addresses that look like one, and absolute
 * http(s) URLs with a host (log webhooks may also be {@code kafka://host:port/topic} or {@code failover(…)}).
 */
public final class NotifyChecks {
    private static final Pattern MAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+");
    private static final Pattern FAILOVER = Pattern.compile("failover\\((.*)\\)");

    private NotifyChecks() {
    }

    static void check(JobDraft job, Problems problems) {
        for (NotifyDraft n : job.notify) {
            for (Located<String> event : n.on) {
                if (event.value() != null && NotifyEvent.ofLabel(event.value()).isEmpty()) {
                    problems.error(event.pos(), "notify on: unknown event '" + event.value() + "'"
                            + DidYouMean.suffix(event.value(), NotifyEvent.labels()) + " (known: "
                            + String.join(", ", NotifyEvent.labels()) + ")");
                }
            }
            if (n.email.isEmpty() && n.ntfy.isEmpty() && n.slack.isEmpty() && n.statusWebhooks.isEmpty()
                    && n.logWebhooks.isEmpty()) {
                problems.error(n.pos, "notify needs a receiver: email, ntfy, slack or webhook status:/logs:");
            }
            for (Located<String> mail : n.email) {
                if (mail.value() != null && !MAIL.matcher(mail.value().trim()).matches()) {
                    problems.error(mail.pos(), "notify email: '" + mail.value() + "' is not a mail address, e.g. team@example.com");
                }
            }
            urls(n.ntfy, "ntfy", "https://ntfy.sh/my-topic", problems);
            urls(n.slack, "slack", "https://hooks.slack.com/services/…", problems);
            urls(n.statusWebhooks, "webhook status", "https://ci.example/hooks/status", problems);
            signing(n, problems);
            for (Located<String> url : n.logWebhooks) {
                String problem = url.value() == null ? null : logTarget(url.value().trim());
                if (problem != null) {
                    problems.error(url.pos(), "notify webhook logs: '" + url.value() + "' " + problem
                            + " (an http(s) URL, kafka://host:port/topic or failover(kafka://a:9092/t, kafka://b:9092/t))");
                }
            }
        }
    }

    /**
     * Each {@code secret:} names a secret (an identifier, as secret names are), and a URL is signed with one secret:
     * the same URL with two of them would sign alike messages differently.
     */
    private static void signing(NotifyDraft n, Problems problems) {
        var chosen = new java.util.HashMap<String, String>();
        n.statusSecrets.forEach((url, secret) -> {
            if (NameChecks.blank(secret.value()) || !NameChecks.IDENTIFIER.matcher(secret.value()).matches()) {
                problems.error(secret.pos(), "notify webhook secret: '" + (secret.value() == null ? "" : secret.value())
                        + "' is no secret name: it starts with a letter or '_' and holds only letters, digits and '_'");
                return;
            }
            if (url.value() == null) return;
            if (!n.statusWebhooks.contains(url)) { // only a model that did not come from this block's words
                problems.error(secret.pos(), "notify webhook secret: signs '" + url.value() + "', which is no status webhook of the block");
                return;
            }
            String first = chosen.putIfAbsent(url.value().trim(), secret.value());
            if (first != null && !first.equals(secret.value())) {
                problems.error(secret.pos(), "notify webhook status: '" + url.value().trim() + "' is signed with secret '"
                        + first + "' already; one URL takes one secret");
            }
        });
    }

    private static void urls(List<Located<String>> urls, String word, String example, Problems problems) {
        for (Located<String> url : urls) {
            String problem = url.value() == null ? null : httpProblem(url.value().trim());
            if (problem != null) {
                problems.error(url.pos(), "notify " + word + ": '" + url.value() + "' " + problem + ", e.g. " + example);
            }
        }
    }

    /** Why {@code url} is not an absolute http(s) URL with a host, or null when it is one. */
    static String httpProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) return "must be an http or https URL";
        if (uri.getHost() == null) return "must name a host";
        return null;
    }

    private static String logTarget(String url) {
        var failover = FAILOVER.matcher(url);
        if (failover.matches()) {
            if (failover.group(1).split(",").length < 2) return "needs at least two kafka:// URLs in failover(…)";
            for (String broker : failover.group(1).split(",")) {
                String p = kafkaProblem(broker.trim());
                if (p != null) return p;
            }
            return null;
        }
        return url.startsWith("kafka:") ? kafkaProblem(url) : httpProblem(url);
    }

    private static String kafkaProblem(String url) {
        try {
            URI uri = new URI(url);
            if (!"kafka".equals(uri.getScheme())) return "must be a kafka:// URL inside failover(…)";
            if (uri.getHost() == null || uri.getPort() < 0) return "must name the broker's host and port";
            if (uri.getPath() == null || uri.getPath().length() < 2) return "must name the topic: kafka://host:port/topic";
            return null;
        } catch (URISyntaxException e) {
            return "is not a URL";
        }
    }

    /** The model of a checked block: events in written order without repeats (default failed, fixed). */
    static Notify build(NotifyDraft n) {
        var on = new LinkedHashSet<NotifyEvent>();
        for (Located<String> e : n.on) NotifyEvent.ofLabel(e.value()).ifPresent(on::add);
        return new Notify(List.copyOf(on), trimmed(n.email), trimmed(n.ntfy), trimmed(n.slack), trimmed(n.statusWebhooks),
                secrets(n), trimmed(n.logWebhooks), n.pos);
    }

    private static java.util.Map<String, String> secrets(NotifyDraft n) {
        var out = new java.util.LinkedHashMap<String, String>();
        n.statusSecrets.forEach((url, secret) -> {
            if (url.value() != null && secret.value() != null) out.putIfAbsent(url.value().trim(), secret.value().trim());
        });
        return out;
    }

    private static List<String> trimmed(List<Located<String>> values) {
        return values.stream().map(Located::value).filter(Objects::nonNull).map(String::trim).toList();
    }
}
