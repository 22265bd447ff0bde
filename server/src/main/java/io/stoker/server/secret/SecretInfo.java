package io.stoker.server.secret;

import java.time.Instant;
import java.util.List;

/**
 * What may be shown about a stored secret: never its value.
 *
 * @param vault  the Vault reference of a Vault-backed secret, else null
 * @param grants global secrets only: the projects that may read it; null means every project
 */
public record SecretInfo(String name, SecretScope scope, SecretSource.VaultRef vault, List<String> grants,
                         Instant createdAt, Instant updatedAt, String createdBy, String updatedBy) {
    public SecretInfo {
        grants = grants == null ? null : List.copyOf(grants);
    }

    /** Whether {@code project} may read this secret: its own, or a global one that grants it (no list: every project). */
    public boolean readableBy(String project) {
        return !scope.isGlobal() || grants == null || grants.contains(project);
    }
}
