package io.stoker.server.forge;

/**
 * What became of a webhook request: a push to act on, a request refused (answer {@code status}, run nothing), or
 * a genuine request that needs no build (ping, tag push, other event types; answer 202 or 200).
 */
public sealed interface WebhookOutcome {

    /** A correctly signed push to a branch (check {@link PushEvent#buildable()}: deletions build nothing). */
    record Accepted(PushEvent event) implements WebhookOutcome {
    }

    /** Refused: 401 for a missing or wrong signature/token, 400 for a malformed request. */
    record Rejected(int status, String reason) implements WebhookOutcome {
    }

    /** Authentic but nothing to build, e.g. {@code ping}, a tag push, an issue event. */
    record Ignored(String reason) implements WebhookOutcome {
    }
}
