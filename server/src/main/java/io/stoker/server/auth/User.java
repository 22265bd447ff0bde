package io.stoker.server.auth;

import java.time.Instant;

/**
 * A person who may use the API, without the password hash.
 *
 * @param sessionsAfter access tokens issued before this instant are refused (set when the password changes)
 */
public record User(String username, Role role, boolean enabled, Instant createdAt, Instant sessionsAfter) {
}
