package io.stoker.server.git;

import java.util.Objects;

/**
 * A username and a password or access token for fetching over https. (SSH keys come later.)
 * {@link #toString()} never shows the secret, so credentials can appear in logs and error messages safely.
 */
public record GitCredentials(String username, String secret) {
    public GitCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "GitCredentials[username=" + username + ", secret=***]";
    }
}
