package io.stoker.server.agent;

import java.time.Instant;

/** A pull agents' token as listed: never the secret itself. {@code lastUsedAt} null when never used. */
public record AgentToken(String name, String createdBy, Instant createdAt, Instant lastUsedAt) {
}
