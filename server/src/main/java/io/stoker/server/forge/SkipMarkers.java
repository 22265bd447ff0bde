package io.stoker.server.forge;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code [skip ci]}, {@code [ci skip]} and {@code [no ci]} (any case) in a pushed head commit's message start
 * nothing, as in GitHub Actions, GitLab CI and Woodpecker. Runs started through the API are never skipped.
 */
public final class SkipMarkers {
    private static final String[] MARKERS = {"[skip ci]", "[ci skip]", "[no ci]"};

    private SkipMarkers() {
    }

    /** The marker {@code message} holds, or empty. */
    public static Optional<String> find(String message) {
        if (message == null) return Optional.empty();
        String lower = message.toLowerCase(Locale.ROOT);
        for (String marker : MARKERS) {
            if (lower.contains(marker)) return Optional.of(marker);
        }
        return Optional.empty();
    }
}
