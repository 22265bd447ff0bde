package io.stoker.dsl.groovy;

import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.NotifyDraft;
import io.stoker.dsl.groovy.sandbox.DslNoun;
import io.stoker.dsl.groovy.sandbox.DslWord;

import java.util.List;
import java.util.Map;

/** The words of a {@code notify { … }} block; validation checks the events, addresses and URLs. */
@DslNoun("notify")
public final class NotifySpec extends DslDelegate {

    private static final List<String> WEBHOOK_OPTIONS = List.of("status", "logs", "secret");

    private final NotifyDraft notify;

    NotifySpec(Evaluation evaluation, NotifyDraft notify) {
        super(evaluation);
        this.notify = notify;
    }

    /** {@code on 'failed', 'fixed'}: the events to tell of (default: failed, fixed). */
    @DslWord
    public void on(String... events) {
        add(events, "on", notify.on);
    }

    @DslWord
    public void on(List<?> events) {
        add(events.toArray(), "on", notify.on);
    }

    /** {@code email 'team@example.com', 'lead@example.com'} */
    @DslWord
    public void email(String... addresses) {
        add(addresses, "email", notify.email);
    }

    @DslWord
    public void email(List<?> addresses) {
        add(addresses.toArray(), "email", notify.email);
    }

    /** {@code ntfy 'https://ntfy.example/topic'} */
    @DslWord
    public void ntfy(String... topics) {
        add(topics, "ntfy", notify.ntfy);
    }

    /** {@code slack 'https://hooks.slack.com/services/…'} (or a Mattermost / Rocket.Chat incoming webhook) */
    @DslWord
    public void slack(String... urls) {
        add(urls, "slack", notify.slack);
    }

    /**
     * {@code webhook status: 'https://…', logs: 'https://…'}; each takes a URL or a list of them. With
     * {@code secret: 'NAME'} every status URL of this line is signed with the value of the project's secret NAME.
     */
    @DslWord
    public void webhook(Map<String, ?> options) {
        unknownOptions(options, "webhook", WEBHOOK_OPTIONS);
        int before = notify.statusWebhooks.size();
        urls(options.get("status"), "webhook status", notify.statusWebhooks);
        urls(options.get("logs"), "webhook logs", notify.logWebhooks);
        if (!options.containsKey("secret")) return;
        String secret = Values.text(Values.plain(options.get("secret"), evaluation()));
        if (secret == null) {
            evaluation().error("webhook secret: takes the name of a secret, e.g. secret: 'STATUS_HOOK_SECRET'");
        } else if (notify.statusWebhooks.size() == before) {
            evaluation().error("webhook secret: signs status webhooks: give status: 'https://…' with it");
        } else {
            Located<String> name = located(evaluation().collect(secret));
            notify.statusWebhooks.subList(before, notify.statusWebhooks.size()).forEach(url -> notify.statusSecrets.put(url, name));
        }
    }

    private void urls(Object given, String word, List<Located<String>> into) {
        Object plain = Values.plain(given, evaluation());
        if (plain instanceof List<?> list) add(list.toArray(), word, into);
        else if (plain != null) add(new Object[]{plain}, word, into);
    }

    private void add(Object[] values, String word, List<Located<String>> into) {
        for (String value : texts(values, word)) into.add(located(value));
    }
}
