package io.stoker.server.trigger;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What triggers remember across restarts, in the store: the trigger clock's last tick and each poll job's last-seen heads. */
public final class TriggerState {
    private final Database db;

    public TriggerState(Database db) {
        this.db = db;
    }

    public Optional<Instant> lastTick(String clock) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT last_tick FROM trigger_ticks WHERE name = ?")) {
            s.setString(1, clock);
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(rs.getObject(1, OffsetDateTime.class).toInstant()) : Optional.empty();
        }
    }

    public void saveTick(String clock, Instant tick) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement(db.dialect().upsert("trigger_ticks", "name, last_tick", "name"))) {
            s.setString(1, clock);
            s.setObject(2, tick.atOffset(ZoneOffset.UTC));
            s.executeUpdate();
        }
    }

    /** Branch → SHA a poll of the job saw last; empty when it never polled. */
    public Map<String, String> heads(String project, String job) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT branch, commit_sha FROM poll_heads WHERE project = ? AND job = ?")) {
            s.setString(1, project);
            s.setString(2, job);
            ResultSet rs = s.executeQuery();
            Map<String, String> out = new TreeMap<>();
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
            return out;
        }
    }

    public void saveHeads(String project, String job, Map<String, String> heads) throws SQLException {
        db.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM poll_heads WHERE project = ? AND job = ?")) {
                d.setString(1, project);
                d.setString(2, job);
                d.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO poll_heads (project, job, branch, commit_sha) VALUES (?, ?, ?, ?)")) {
                for (var e : heads.entrySet()) {
                    s.setString(1, project);
                    s.setString(2, job);
                    s.setString(3, e.getKey());
                    s.setString(4, e.getValue());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    /**
     * Counts {@code commit} as the head of {@code branch} the job's poll saw (a push built it or held it back), so
     * the next poll does not build it again. A job that never polled keeps no heads: its first registration seeds
     * them all.
     */
    public void markSeen(String project, String job, String branch, String commit) throws SQLException {
        db.inTransaction(c -> {
            try (PreparedStatement any = c.prepareStatement(
                    "SELECT 1 FROM poll_heads WHERE project = ? AND job = ?")) {
                any.setString(1, project);
                any.setString(2, job);
                if (!any.executeQuery().next()) return null;
            }
            try (PreparedStatement d = c.prepareStatement(
                    "DELETE FROM poll_heads WHERE project = ? AND job = ? AND branch = ?")) {
                d.setString(1, project);
                d.setString(2, job);
                d.setString(3, branch);
                d.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO poll_heads (project, job, branch, commit_sha) VALUES (?, ?, ?, ?)")) {
                s.setString(1, project);
                s.setString(2, job);
                s.setString(3, branch);
                s.setString(4, commit);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Forgets the heads of a deleted project's jobs. */
    public void forget(String project) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("DELETE FROM poll_heads WHERE project = ?")) {
            s.setString(1, project);
            s.executeUpdate();
        }
    }
}
