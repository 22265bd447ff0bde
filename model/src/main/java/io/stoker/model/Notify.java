package io.stoker.model;

import java.util.List;
import java.util.Map;

/**
 * One {@code notify { … }} block of a job: on these events, tell these receivers. A job may have several blocks
 * (e.g. mail on failures, chat on every success). Status and log webhooks are not filtered by {@code on}: they follow
 * the Build-Shuttle contract (every state change, the whole log).
 *
 * @param on             the events the email, ntfy and Slack receivers hear of, never empty
 * @param email          mail addresses
 * @param ntfy           ntfy topic URLs ({@code https://ntfy.example/topic})
 * @param slack          Slack-compatible incoming-webhook URLs (Slack, Mattermost, Rocket.Chat)
 * @param statusWebhooks URLs that get the run's status payload on every state change
 * @param statusSecrets  the status webhooks that are signed, each with the name of the secret its
 *                       {@code x-stoker-signature-256} is made with ({@code webhook status: …, secret: 'NAME'});
 *                       a URL absent here is sent unsigned
 * @param logWebhooks    where the run's log is streamed (http(s) URLs, {@code kafka://host:port/topic},
 *                       {@code failover(kafka://…, kafka://…)})
 */
public record Notify(List<NotifyEvent> on, List<String> email, List<String> ntfy, List<String> slack,
                     List<String> statusWebhooks, Map<String, String> statusSecrets, List<String> logWebhooks,
                     Pos pos) {
    public Notify {
        on = on == null || on.isEmpty() ? NotifyEvent.DEFAULT : List.copyOf(on);
        email = email == null ? List.of() : List.copyOf(email);
        ntfy = ntfy == null ? List.of() : List.copyOf(ntfy);
        slack = slack == null ? List.of() : List.copyOf(slack);
        statusWebhooks = statusWebhooks == null ? List.of() : List.copyOf(statusWebhooks);
        statusSecrets = statusSecrets == null ? Map.of() : Map.copyOf(statusSecrets);
        logWebhooks = logWebhooks == null ? List.of() : List.copyOf(logWebhooks);
    }

    /** True when the block's email, ntfy and Slack receivers hear of {@code event}. */
    public boolean hears(NotifyEvent event) {
        return on.contains(event);
    }
}
