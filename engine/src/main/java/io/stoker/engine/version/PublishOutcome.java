package io.stoker.engine.version;

/** How a publish ended: the version is there, or the store refused it (and says why, in the user's words). */
public sealed interface PublishOutcome {

    record Published(VersionManifest manifest) implements PublishOutcome {
    }

    record Refused(String reason) implements PublishOutcome {
    }
}
