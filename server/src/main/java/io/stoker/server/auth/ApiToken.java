package io.stoker.server.auth;

import java.time.Instant;

/**
 * A named API token as listed: never the token itself. {@code expiresAt} null means it does not expire; {@code role}
 * null means it acts with its user's role, else with the lower of the two.
 */
public record ApiToken(String username, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Role role) {
}
