package io.stoker.server.forge;

import java.util.Locale;
import java.util.Optional;

/** The git hosts whose push webhooks Stoker understands; {@link #path()} is the last segment of the hook URL. */
public enum GitHost {
    GITHUB, GITLAB, GITEA;

    /** {@code github}, {@code gitlab} or {@code gitea}, as in {@code POST /api/v1/hooks/github}. */
    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The host named by a hook URL segment (case-insensitive), or empty for an unknown one. */
    public static Optional<GitHost> fromPath(String segment) {
        for (GitHost host : values()) {
            if (host.path().equalsIgnoreCase(segment)) {
                return Optional.of(host);
            }
        }
        return Optional.empty();
    }
}
