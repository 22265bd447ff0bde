package io.stoker.server.cluster;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code servers} table: one row per server of the cluster, its heartbeat renewed while it lives. */
public final class ServerRegistry {
    private final Database db;

    public ServerRegistry(Database db) {
        this.db = db;
    }

    /** Adds (or renews) a server's row; {@code process} null where it has no {@link HostProcess} mark. */
    public void register(String id, String version, String address, HostProcess process, Instant now)
            throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(db.dialect().upsert("servers",
                "id, version, address, started_at, heartbeat_at, process", "id"))) {
            s.setString(1, id);
            s.setString(2, version);
            s.setString(3, address);
            s.setObject(4, time(now));
            s.setObject(5, time(now));
            s.setString(6, process == null ? null : process.stored());
            s.executeUpdate();
        }
    }

    /** The process marks of the servers that have one, by id. */
    public Map<String, HostProcess> processes() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT id, process FROM servers WHERE process IS NOT NULL");
             ResultSet r = s.executeQuery()) {
            Map<String, HostProcess> out = new java.util.HashMap<>();
            while (r.next()) {
                String id = r.getString(1);
                HostProcess.parse(r.getString(2)).ifPresent(p -> out.put(id, p));
            }
            return out;
        }
    }

    /**
     * Renews a server's heartbeat and says which pull agents are connected to it; false when its row is gone (a peer
     * forgot it after a long silence).
     */
    public boolean heartbeat(String id, Instant now, ConnectedAgents agents) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE servers SET heartbeat_at = ?, pull_agents = ? WHERE id = ?")) {
            s.setObject(1, time(now));
            s.setString(2, agents.stored());
            s.setString(3, id);
            return s.executeUpdate() > 0;
        }
    }

    /** Removes a server's row (a clean stop). */
    public void remove(String id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("DELETE FROM servers WHERE id = ?")) {
            s.setString(1, id);
            s.executeUpdate();
        }
    }

    /** The ids of the servers whose last heartbeat is after {@code since}: those alive. */
    public java.util.Set<String> heardSince(Instant since) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT id FROM servers WHERE heartbeat_at > ?")) {
            s.setObject(1, time(since));
            try (ResultSet r = s.executeQuery()) {
                Set<String> out = new HashSet<>();
                while (r.next()) out.add(r.getString(1));
                return out;
            }
        }
    }

    /** The ids of the servers with a row that are not among {@code alive}: those the cluster takes for lost. */
    public Set<String> lost(Set<String> alive) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT id FROM servers")) {
            try (ResultSet r = s.executeQuery()) {
                Set<String> out = new HashSet<>();
                while (r.next()) if (!alive.contains(r.getString(1))) out.add(r.getString(1));
                return out;
            }
        }
    }

    /** Forgets servers silent since before {@code before}; their runs were taken over long ago. */
    public int forgetSilent(Instant before) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("DELETE FROM servers WHERE heartbeat_at < ?")) {
            s.setObject(1, time(before));
            return s.executeUpdate();
        }
    }

    /** Every server with a row, oldest start first; alive when its heartbeat is within {@code lease} of {@code now}. */
    public List<ClusterServer> list(Instant now, Duration lease, Map<String, Integer> held) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, version, address, started_at, heartbeat_at, pull_agents FROM servers ORDER BY started_at, id")) {
            ResultSet rs = s.executeQuery();
            List<ClusterServer> out = new ArrayList<>();
            while (rs.next()) {
                String id = rs.getString(1);
                Instant beat = rs.getObject(5, OffsetDateTime.class).toInstant();
                out.add(new ClusterServer(id, rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), beat, !beat.plus(lease).isBefore(now),
                        held.getOrDefault(id, 0), ConnectedAgents.parse(rs.getString(6))));
            }
            return out;
        }
    }

    private static OffsetDateTime time(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
