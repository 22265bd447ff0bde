package io.stoker.server.logstream;

import io.stoker.server.db.Database;
import io.stoker.server.outbox.DeliveryState;
import io.stoker.server.secret.SecretBox;
import io.stoker.server.secret.SecretUnreadableException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code log_streams} rows. Blocking JDBC, called from the senders' threads. An HTTP target's Authorization
 * header is sealed with the master key, bound to the row's target. In a cluster each row names the server sending
 * it ({@code sender}), and a server takes over only the rows of servers gone ({@link #takeOver}).
 */
public final class LogStreamRepository {
    private final Database db;
    private final SecretBox box;
    private final Clock clock;
    private final String sender;

    /** The rows of a server alone: every pending row is its own. */
    public LogStreamRepository(Database db, SecretBox box, Clock clock) {
        this(db, box, clock, null);
    }

    /** The rows as the server {@code sender} of a cluster sees them (null: a server alone). */
    public LogStreamRepository(Database db, SecretBox box, Clock clock, String sender) {
        this.db = db;
        this.box = box;
        this.clock = clock;
        this.sender = sender;
    }

    /** Whether this server is one of a cluster's, which share the rows. */
    public boolean shared() {
        return sender != null;
    }

    /** Adds a pending stream of the run's log to each target, from offset 0; the rows in the order given. */
    public List<LogStreamRow> add(String runKey, List<LogTarget> targets) throws SQLException {
        Instant now = clock.instant();
        List<LogStreamRow> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("INSERT INTO log_streams (run_key, target, auth_sealed, acked, state, "
                     + "attempts, progress_at, created_at, sender) VALUES (?, ?, ?, 0, 'pending', 0, ?, ?, ?)",
                     new String[] {"id"})) {
            for (LogTarget t : targets) {
                s.setString(1, runKey);
                s.setString(2, t.text());
                String auth = t instanceof LogTarget.Http h ? h.endpoint().authorization() : null;
                if (auth == null) s.setNull(3, Types.VARBINARY);
                else s.setBytes(3, box.sealText(auth, context(t.text())));
                s.setTimestamp(4, Timestamp.from(now));
                s.setTimestamp(5, Timestamp.from(now));
                s.setString(6, sender);
                s.executeUpdate();
                try (ResultSet k = s.getGeneratedKeys()) {
                    k.next();
                    out.add(new LogStreamRow(k.getLong(1), runKey, t, 0, DeliveryState.PENDING, 0, null, null, now, now));
                }
            }
        }
        return out;
    }

    /** Whether the run's log is streamed to any receiver. */
    public boolean any(String runKey) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM log_streams WHERE run_key = ? FETCH FIRST 1 ROWS ONLY")) {
            s.setString(1, runKey);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Streams still to be sent (after a restart: all that were under way). */
    public List<LogStreamRow> pending() throws SQLException {
        return query("SELECT * FROM log_streams WHERE state = 'pending' ORDER BY id", null);
    }

    /**
     * Makes this server the sender of every pending stream whose sender is not among {@code alive} (gone, or a server
     * alone before), and returns them, oldest first. Each row is taken by one server only: the change is made only
     * while the row still names the sender it was read with.
     */
    public List<LogStreamRow> takeOver(java.util.Set<String> alive) throws SQLException {
        List<Long> taken = new ArrayList<>();
        try (Connection c = db.connection()) {
            List<Sent> candidates = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, sender FROM log_streams WHERE state = 'pending' ORDER BY id");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String was = r.getString(2);
                    if (was == null || (!was.equals(sender) && !alive.contains(was))) {
                        candidates.add(new Sent(r.getLong(1), was));
                    }
                }
            }
            for (Sent row : candidates) {
                try (PreparedStatement s = c.prepareStatement(row.sender() == null
                        ? "UPDATE log_streams SET sender = ? WHERE id = ? AND state = 'pending' AND sender IS NULL"
                        : "UPDATE log_streams SET sender = ? WHERE id = ? AND state = 'pending' AND sender = ?")) {
                    s.setString(1, sender);
                    s.setLong(2, row.id());
                    if (row.sender() != null) s.setString(3, row.sender());
                    if (s.executeUpdate() == 1) taken.add(row.id());
                }
            }
        }
        List<LogStreamRow> out = new ArrayList<>();
        for (long id : taken) out.addAll(query("SELECT * FROM log_streams WHERE id = " + id, null));
        return out;
    }

    /** A pending row and the server sending it, as read. */
    private record Sent(long id, String sender) {
    }

    /** A run's streams, oldest first. */
    public List<LogStreamRow> list(String runKey) throws SQLException {
        return query("SELECT * FROM log_streams WHERE run_key = ? ORDER BY id", runKey);
    }

    /** The receiver acknowledged the log up to {@code acked}. */
    public void acked(long id, long acked, Integer status) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE log_streams SET acked = ?, progress_at = ?, last_status = ?, "
                     + "last_error = NULL WHERE id = ? AND acked <= ?")) {
            s.setLong(1, acked);
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            if (status == null) s.setNull(3, Types.INTEGER); else s.setInt(3, status);
            s.setLong(4, id);
            s.setLong(5, acked);
            s.executeUpdate();
        }
    }

    /** An attempt failed (or the stream ended): its outcome and the stream's state. */
    public void attempted(long id, int attempts, Integer status, String error, DeliveryState state) throws SQLException {
        String err = error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error;
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE log_streams SET attempts = ?, last_status = ?, last_error = ?, "
                     + "state = ? WHERE id = ?")) {
            s.setInt(1, attempts);
            if (status == null) s.setNull(2, Types.INTEGER); else s.setInt(2, status);
            s.setString(3, err);
            s.setString(4, state.label());
            s.setLong(5, id);
            s.executeUpdate();
        }
    }

    private List<LogStreamRow> query(String sql, String runKey) throws SQLException {
        List<LogStreamRow> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (runKey != null) s.setString(1, runKey);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String text = r.getString("target");
                    LogTarget target;
                    try {
                        target = LogTarget.stored(text, open(r.getBytes("auth_sealed"), text));
                    } catch (IllegalArgumentException e) {
                        continue; // not a target this version reads: left as it is
                    }
                    out.add(new LogStreamRow(r.getLong("id"), r.getString("run_key"), target, r.getLong("acked"),
                            io.stoker.server.outbox.DeliveryState.valueOf(r.getString("state").toUpperCase(java.util.Locale.ROOT)),
                            r.getInt("attempts"), (Integer) r.getObject("last_status"), r.getString("last_error"),
                            r.getTimestamp("progress_at").toInstant(), r.getTimestamp("created_at").toInstant()));
                }
            }
        }
        return out;
    }

    private String open(byte[] sealed, String target) {
        if (sealed == null) return null;
        try {
            return box.openText(sealed, context(target));
        } catch (SecretUnreadableException e) {
            return null; // a changed master key: sent without auth; the receiver's 401 shows in the stream's state
        }
    }

    private static String context(String target) {
        return "logstream:" + target;
    }
}
