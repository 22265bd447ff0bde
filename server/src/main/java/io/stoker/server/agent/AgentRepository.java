package io.stoker.server.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import io.stoker.server.db.Database;
import io.stoker.server.db.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Agents in the store, plain JDBC, blocking. The private key column holds only {@code SecretBox} output. */
public final class AgentRepository {
    private static final String COLUMNS = "name, host, port, login, host_key, trust_first_use, labels, auto_labels, "
            + "facts, executors, work_dir, blocked_reason, created_at, updated_at, installed_at, host_key_matched";

    private final Database db;

    public AgentRepository(Database db) {
        this.db = db;
    }

    /** Inserts an agent with its sealed key; false when the name is taken. */
    public boolean insert(Agent a, byte[] sealedKey) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM agents WHERE name = ?")) {
                exists.setString(1, a.name());
                if (exists.executeQuery().next()) return false;
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO agents (" + COLUMNS + ", private_key) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, a.name());
                s.setString(2, a.host());
                s.setInt(3, a.port());
                s.setString(4, a.user());
                s.setString(5, a.hostKey());
                s.setBoolean(6, a.trustOnFirstUse());
                s.setString(7, Json.write(a.labels()));
                s.setString(8, Json.write(a.autoLabels()));
                s.setString(9, a.facts() == null ? null : Json.write(a.facts()));
                s.setInt(10, a.executors());
                s.setString(11, a.workDir());
                s.setString(12, a.blockedReason());
                s.setObject(13, time(a.createdAt()));
                s.setObject(14, time(a.updatedAt()));
                s.setObject(15, time(a.installedAt()));
                s.setBoolean(16, a.hostKeyMatched());
                s.setBytes(17, sealedKey);
                s.executeUpdate();
            }
            return true;
        });
    }

    public List<Agent> list() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM agents ORDER BY name")) {
            ResultSet rs = s.executeQuery();
            List<Agent> out = new ArrayList<>();
            while (rs.next()) out.add(agent(rs));
            return out;
        }
    }

    public Optional<Agent> get(String name) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM agents WHERE name = ?")) {
            s.setString(1, name);
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(agent(rs)) : Optional.empty();
        }
    }

    /** The sealed private key, to be opened with the agent's context. */
    public Optional<byte[]> sealedKey(String name) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT private_key FROM agents WHERE name = ?")) {
            s.setString(1, name);
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
        }
    }

    public boolean delete(String name) throws SQLException {
        return update("DELETE FROM agents WHERE name = ?", name) > 0;
    }

    /**
     * Pins a host key and clears a block (re-pin by a person, or the first key a trust-on-first-use agent saw);
     * {@code matched}: the host has shown it already (the learned key), not only a person typed it.
     */
    public boolean pinHostKey(String name, String fingerprint, boolean matched, Instant now) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE agents SET host_key = ?, host_key_matched = ?, blocked_reason = NULL, updated_at = ? "
                        + "WHERE name = ?")) {
            s.setString(1, fingerprint);
            s.setBoolean(2, matched);
            s.setObject(3, time(now));
            s.setString(4, name);
            return s.executeUpdate() > 0;
        }
    }

    /** Notes that the host showed the pinned key {@code fingerprint} (unless another was pinned meanwhile). */
    public void hostKeyMatched(String name, String fingerprint) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE agents SET host_key_matched = TRUE WHERE name = ? AND host_key = ?")) {
            s.setString(1, name);
            s.setString(2, fingerprint);
            s.executeUpdate();
        }
    }

    /** Clears a block (an install retrying an agent whose key the host had refused). */
    public void unblock(String name, Instant now) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE agents SET blocked_reason = NULL, updated_at = ? WHERE name = ?")) {
            s.setObject(1, time(now));
            s.setString(2, name);
            s.executeUpdate();
        }
    }

    /** Records why the agent is blocked; it stays blocked across restarts until a person re-pins it. */
    public void block(String name, String reason, Instant now) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE agents SET blocked_reason = ?, updated_at = ? WHERE name = ?")) {
            s.setString(1, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
            s.setObject(2, time(now));
            s.setString(3, name);
            s.executeUpdate();
        }
    }

    /** Stores what an install found. */
    public void installed(String name, List<String> autoLabels, Map<String, Object> facts, Instant now) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE agents SET auto_labels = ?, facts = ?, installed_at = ?, updated_at = ? WHERE name = ?")) {
            s.setString(1, Json.write(autoLabels));
            s.setString(2, Json.write(facts));
            s.setObject(3, time(now));
            s.setObject(4, time(now));
            s.setString(5, name);
            s.executeUpdate();
        }
    }

    private int update(String sql, String name) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            return s.executeUpdate();
        }
    }

    private static Agent agent(ResultSet rs) throws SQLException {
        String facts = rs.getString("facts");
        return new Agent(rs.getString("name"), rs.getString("host"), rs.getInt("port"), rs.getString("login"),
                rs.getString("host_key"), rs.getBoolean("trust_first_use"), strings(rs.getString("labels")),
                strings(rs.getString("auto_labels")), facts == null ? null : map(facts), rs.getInt("executors"),
                rs.getString("work_dir"), rs.getString("blocked_reason"), instant(rs, "created_at"),
                instant(rs, "updated_at"), instant(rs, "installed_at"), rs.getBoolean("host_key_matched"));
    }

    private static List<String> strings(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<List<String>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable labels column: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> map(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable facts column: " + e.getMessage(), e);
        }
    }

    private static OffsetDateTime time(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
