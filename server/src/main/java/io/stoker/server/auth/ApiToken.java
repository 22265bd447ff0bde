package io.stoker.server.auth;

import java.time.Instant;

/** A named API token as listed: never the token itself. {@code expiresAt} null means it does not expire. */
public record ApiToken(String username, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {
}
