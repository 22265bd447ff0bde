package io.stoker.server.forge;

import java.util.List;

/**
 * What became of a webhook request: a push to act on, a ping or test delivery (answer what would build), a
 * request refused (answer {@code status}, run nothing), or a genuine request that needs no build.
 */
public sealed interface WebhookOutcome {

    /**
     * A correctly signed push of one ref or, from Bitbucket, several (check {@link PushEvent#buildable()}: tags and
     * deletions build nothing).
     *
     * @param eventName the event as the reply names it when the host does not call it {@code push} or
     *                  {@code pull_request} (Gitea's {@code delete}); null: named after what it is
     */
    record Accepted(List<PushEvent> events, String eventName) implements WebhookOutcome {
        public Accepted {
            events = List.copyOf(events);
        }

        public Accepted(List<PushEvent> events) {
            this(events, null);
        }

        public Accepted(PushEvent event) {
            this(List.of(event));
        }

        /** The same, named as the host names the event when that is not {@code push} (Gitea's {@code delete}). */
        public Accepted named(String name) {
            return new Accepted(events, name);
        }

        /** The first (for GitHub, GitLab and Gitea the only) ref pushed. */
        public PushEvent event() {
            return events.getFirst();
        }
    }

    /**
     * A ping or test delivery (GitHub {@code ping}, Gitea/Forgejo's test push, Bitbucket's {@code diagnostics:ping}):
     * the reply names what would build this repository.
     *
     * @param repositoryUrls the repository's URLs when the payload names one (an organisation hook's ping does not)
     */
    record Ping(String event, List<String> repositoryUrls) implements WebhookOutcome {
        public Ping {
            repositoryUrls = List.copyOf(repositoryUrls);
        }
    }

    /**
     * Refused: 401 for a missing or wrong signature/token, 400 for a malformed request.
     *
     * @param header the signature or token header that was missing or did not verify (a 401's), else null
     * @param missing whether that header was missing rather than wrong
     */
    record Rejected(int status, String reason, String header, boolean missing) implements WebhookOutcome {
        public Rejected(int status, String reason) {
            this(status, reason, null, false);
        }

        /** The 401 for a signature or token header that is missing. */
        public static Rejected missing(String header, String reason) {
            return new Rejected(401, reason, header, true);
        }

        /** The 401 for a signature or token header that does not verify. */
        public static Rejected wrong(String header, String reason) {
            return new Rejected(401, reason, header, false);
        }
    }

    /**
     * Authentic but nothing to build, e.g. an issue event.
     *
     * @param event the event as the reply names it when Stoker knows it ({@code push}, {@code pull_request}, the
     *              names a built delivery's reply carries, whatever the host calls them); null: the host's own name
     */
    record Ignored(String reason, String event) implements WebhookOutcome {
        public Ignored(String reason) {
            this(reason, null);
        }

        /** A pull or merge request event that builds nothing (labelled, edited…). */
        public static Ignored pullRequest(String reason) {
            return new Ignored(reason, "pull_request");
        }

        /** A push that builds nothing (it changes no branch or tag). */
        public static Ignored push(String reason) {
            return new Ignored(reason, "push");
        }
    }
}
