package io.stoker.server.deploy;

import io.stoker.engine.deploy.DeployReason;
import io.stoker.engine.deploy.Deployment;
import io.stoker.engine.deploy.DeploymentHistory;
import io.stoker.engine.deploy.DeploymentState;
import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The deployment history in the {@code deployments} table. */
public final class DeploymentRepository implements DeploymentHistory {
    private static final String COLUMNS = "id, project, target, version, deployed_by, reason, run_key, state, detail, "
            + "started_at, ended_at";

    private final Database db;

    public DeploymentRepository(Database db) {
        this.db = db;
    }

    @Override
    public long add(Deployment d) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("INSERT INTO deployments "
                + "(project, target, version, deployed_by, reason, run_key, state, detail, started_at, ended_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            s.setString(1, d.project());
            s.setString(2, d.target());
            s.setString(3, d.version());
            s.setString(4, d.by());
            s.setString(5, d.reason().name());
            s.setString(6, d.runKey());
            s.setString(7, d.state().name());
            s.setString(8, d.detail());
            s.setObject(9, d.startedAt().atOffset(ZoneOffset.UTC));
            s.setObject(10, d.endedAt() == null ? null : d.endedAt().atOffset(ZoneOffset.UTC));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    @Override
    public boolean end(long id, DeploymentState state, String detail, Instant at) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE deployments SET state = ?, detail = ?, ended_at = ? WHERE id = ? AND state = ?")) {
            s.setString(1, state.name());
            s.setString(2, detail == null ? null : detail.substring(0, Math.min(detail.length(), 1000)));
            s.setObject(3, at.atOffset(ZoneOffset.UTC));
            s.setLong(4, id);
            s.setString(5, DeploymentState.RUNNING.name());
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public Optional<Deployment> byRun(String runKey) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM deployments WHERE run_key = ?")) {
            s.setString(1, runKey);
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    /** The project's deployment {@code id}, when there is one. */
    public Optional<Deployment> byId(String project, long id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM deployments WHERE id = ? AND project = ?")) {
            s.setLong(1, id);
            s.setString(2, project);
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    @Override
    public List<Deployment> list(String project, String target, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM deployments WHERE project = ?"
                + (target == null ? "" : " AND target = ?") + " ORDER BY id DESC LIMIT " + Math.max(1, limit);
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, project);
            if (target != null) s.setString(2, target);
            ResultSet rs = s.executeQuery();
            List<Deployment> out = new ArrayList<>();
            while (rs.next()) out.add(row(rs));
            return out;
        }
    }

    /**
     * Each target's newest deployment, its newest good one and its newest one that was not an automatic rollback
     * (the attempt a rollback undid), a single row when they are the same, newest first: what {@link TargetStatuses}
     * needs, however long the history. The {@code (project, target, id)} index serves it.
     */
    public List<Deployment> newestPerTarget(String project) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM deployments WHERE project = ? AND id IN ("
                + "SELECT MAX(id) FROM deployments WHERE project = ? GROUP BY target UNION "
                + "SELECT MAX(id) FROM deployments WHERE project = ? AND state = ? GROUP BY target UNION "
                + "SELECT MAX(id) FROM deployments WHERE project = ? AND reason <> ? GROUP BY target) ORDER BY id DESC";
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, project);
            s.setString(2, project);
            s.setString(3, project);
            s.setString(4, DeploymentState.GOOD.name());
            s.setString(5, project);
            s.setString(6, DeployReason.AUTO_ROLLBACK.name());
            ResultSet rs = s.executeQuery();
            List<Deployment> out = new ArrayList<>();
            while (rs.next()) out.add(row(rs));
            return out;
        }
    }

    @Override
    public List<Deployment> running(int limit) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                + " FROM deployments WHERE state = ? ORDER BY id LIMIT " + Math.max(1, limit))) {
            s.setString(1, DeploymentState.RUNNING.name());
            ResultSet rs = s.executeQuery();
            List<Deployment> out = new ArrayList<>();
            while (rs.next()) out.add(row(rs));
            return out;
        }
    }

    /** Forgets a deleted project's history. */
    public void forget(String project) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("DELETE FROM deployments WHERE project = ?")) {
            s.setString(1, project);
            s.executeUpdate();
        }
    }

    private static Deployment row(ResultSet rs) throws SQLException {
        OffsetDateTime ended = rs.getObject(11, OffsetDateTime.class);
        return new Deployment(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                DeployReason.valueOf(rs.getString(6)), rs.getString(7), DeploymentState.valueOf(rs.getString(8)),
                rs.getString(9), rs.getObject(10, OffsetDateTime.class).toInstant(),
                ended == null ? null : ended.toInstant());
    }
}
