package io.stoker.server.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import io.stoker.server.db.Database;
import io.stoker.server.db.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log in the {@code audit_log} table. {@link #record} blocks (one insert), so callers are on worker
 * threads; a failed insert is logged rather than thrown, because the action it describes has already happened.
 */
public final class H2AuditLog implements AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(H2AuditLog.class);
    private static final int MAX_TEXT = 300;

    private final Database db;
    private final Clock clock;

    public H2AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void record(String actor, String action, String target, Map<String, ?> detail) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO audit_log (occurred_at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)")) {
            s.setObject(1, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            s.setString(2, clip(actor == null ? "-" : actor, 100));
            s.setString(3, clip(action, 100));
            s.setString(4, target == null ? null : clip(target, MAX_TEXT));
            s.setString(5, Json.write(detail == null ? Map.of() : new LinkedHashMap<>(detail)));
            s.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.error("cannot record audit entry {} {} {}", actor, action, target, e);
        }
    }

    /**
     * Newest first, at most {@code limit}; {@code actor} filters exactly when given, {@code action} names an action
     * ({@code login.failed}) or a family of them ({@code login}: {@code login.ok}, {@code login.failed}, …);
     * {@code before}, when given, keeps the entries older than that id: the next page after a page's last entry.
     */
    public List<AuditEntry> list(int limit, String action, String actor, Long before) throws SQLException {
        return list(limit, action, actor, null, before);
    }

    /**
     * As {@link #list(int, String, String, Long)}, and {@code target} (when not null) keeps the entries about it: the
     * target itself or what lies under it ({@code bob} also gives {@code bob/ci}, a token of bob's; {@code web} gives
     * {@code web/bob}, a membership of project web).
     */
    public List<AuditEntry> list(int limit, String action, String actor, String target, Long before) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, occurred_at, actor, action, target, detail FROM audit_log WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (action != null) {
            sql.append(" AND (action = ? OR action LIKE ? ESCAPE '!')");
            args.add(action);
            args.add(likePrefix(action) + ".%");
        }
        if (actor != null) {
            sql.append(" AND actor = ?");
            args.add(actor);
        }
        if (target != null) {
            sql.append(" AND (target = ? OR target LIKE ? ESCAPE '!')");
            args.add(target);
            args.add(likePrefix(target) + "/%");
        }
        if (before != null) sql.append(" AND id < ?");
        sql.append(" ORDER BY id DESC LIMIT ?");
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            int i = 0;
            for (; i < args.size(); i++) s.setString(i + 1, args.get(i));
            if (before != null) s.setLong(++i, before);
            s.setInt(i + 1, limit);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new AuditEntry(r.getLong(1), r.getObject(2, OffsetDateTime.class).toInstant(), r.getString(3),
                            r.getString(4), r.getString(5), detail(r.getString(6))));
                }
            }
            return out;
        }
    }

    /** {@code text} with LIKE's wildcards escaped (escape character {@code !}). */
    private static String likePrefix(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static Map<String, Object> detail(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
