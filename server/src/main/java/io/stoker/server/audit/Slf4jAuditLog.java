package io.stoker.server.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * An {@link AuditLog} that writes each action as one line to the {@code stoker.audit} logger. It stands in until
 * the database-backed audit log is wired; it is readable by whoever reads the server's log, not through the API.
 */
public final class Slf4jAuditLog implements AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger("stoker.audit");

    @Override
    public void record(String actor, String action, String target, Map<String, ?> detail) {
        LOG.info("{} by {} on {} {}", action, actor, target == null ? "-" : target, detail == null ? Map.of() : detail);
    }
}
