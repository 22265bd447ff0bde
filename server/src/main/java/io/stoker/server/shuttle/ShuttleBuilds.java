package io.stoker.server.shuttle;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The table naming each (app id, build id) the run key it started. */
final class ShuttleBuilds {
    private final Database db;

    ShuttleBuilds(Database db) {
        this.db = db;
    }

    Optional<String> runKey(String app, String build) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT run_key FROM shuttle_builds WHERE app_id = ? AND build_id = ?")) {
            s.setString(1, app);
            s.setString(2, build);
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** False when the build id is taken (a concurrent POST of the same build). */
    boolean insert(String app, String build, String runKey) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("INSERT INTO shuttle_builds (app_id, build_id, run_key) VALUES (?, ?, ?)")) {
            s.setString(1, app);
            s.setString(2, build);
            s.setString(3, runKey);
            s.executeUpdate();
            return true;
        } catch (java.sql.SQLIntegrityConstraintViolationException e) {
            return false;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) return false;
            throw e;
        }
    }
}
