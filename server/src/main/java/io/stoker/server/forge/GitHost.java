package io.stoker.server.forge;

import io.stoker.server.forge.bitbucket.BitbucketHooks;
import io.stoker.server.forge.gitea.GiteaHooks;
import io.stoker.server.forge.gitea.GiteaStatuses;
import io.stoker.server.forge.github.GithubHooks;
import io.stoker.server.forge.github.GithubStatuses;
import io.stoker.server.forge.gitlab.GitlabHooks;
import io.stoker.server.forge.gitlab.GitlabStatuses;

import java.util.Locale;
import java.util.Optional;

/** The git hosts whose push webhooks Stoker understands; {@link #path()} is the last segment of the hook URL. */
public enum GitHost {
    GITHUB, GITLAB, GITEA, BITBUCKET;

    /** {@code github}, {@code gitlab}, {@code gitea} or {@code bitbucket}, as in {@code POST /api/v1/hooks/github}. */
    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How this host's deliveries are verified and read. */
    public HookFormat format() {
        return switch (this) {
            case GITHUB -> new GithubHooks();
            case GITLAB -> new GitlabHooks();
            case GITEA -> new GiteaHooks();
            case BITBUCKET -> new BitbucketHooks();
        };
    }

    /** The host's commit status API; empty for Bitbucket (not built yet). */
    public Optional<StatusApi> statuses() {
        return switch (this) {
            case GITHUB -> Optional.of(new GithubStatuses());
            case GITLAB -> Optional.of(new GitlabStatuses());
            case GITEA -> Optional.of(new GiteaStatuses());
            case BITBUCKET -> Optional.empty();
        };
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
