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
        return runKeyWhere("build_id", app, build);
    }

    /**
     * False when the build id is taken (a concurrent POST of the same build).
     *
     * @param loginSecret the project secret holding the build's destination login, or null
     */
    boolean insert(String app, String build, String runKey, String loginSecret) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("INSERT INTO shuttle_builds (app_id, build_id, run_key, login_secret)"
                     + " VALUES (?, ?, ?, ?)")) {
            s.setString(1, app);
            s.setString(2, build);
            s.setString(3, runKey);
            s.setString(4, loginSecret);
            s.executeUpdate();
            return true;
        } catch (java.sql.SQLIntegrityConstraintViolationException e) {
            return false;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) return false;
            throw e;
        }
    }

    /** The run key of the build whose destination login is {@code loginSecret}, if a build holds it. */
    Optional<String> runKeyOfLogin(String app, String loginSecret) throws SQLException {
        return runKeyWhere("login_secret", app, loginSecret);
    }

    /** {@code column} is one of this class's own column names, never caller text. */
    private Optional<String> runKeyWhere(String column, String app, String value) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT run_key FROM shuttle_builds WHERE app_id = ? AND " + column + " = ?")) {
            s.setString(1, app);
            s.setString(2, value);
            ResultSet rs = s.executeQuery();
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }
}
