package io.stoker.server.audit;

import java.time.Instant;
import java.util.Map;

/** One recorded action, as {@code GET /api/v1/audit} shows it. */
public record AuditEntry(long id, Instant at, String actor, String action, String target, Map<String, Object> detail) {
}
