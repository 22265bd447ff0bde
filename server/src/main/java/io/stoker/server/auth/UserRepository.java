package io.stoker.server.auth;

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
import java.util.Locale;
import java.util.Optional;

/** The {@code users} table, plain JDBC. Blocking. */
final class UserRepository {
    private static final String COLUMNS = "username, role, enabled, created_at, sessions_after";

    private final Database db;

    UserRepository(Database db) {
        this.db = db;
    }

    /** False when the name is taken. */
    boolean insert(User u, String passwordHash) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("INSERT INTO users (username, "
                + "password_hash, role, enabled, created_at, sessions_after) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, u.username());
            s.setString(2, passwordHash);
            s.setString(3, u.role().name().toLowerCase(Locale.ROOT));
            s.setBoolean(4, u.enabled());
            s.setObject(5, time(u.createdAt()));
            s.setObject(6, time(u.sessionsAfter()));
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) return false; // unique violation
            throw e;
        }
    }

    List<User> all() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM users ORDER BY username");
             ResultSet r = s.executeQuery()) {
            List<User> out = new ArrayList<>();
            while (r.next()) out.add(user(r));
            return out;
        }
    }

    Optional<User> find(String username) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE username = ?")) {
            s.setString(1, username);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(user(r)) : Optional.empty();
            }
        }
    }

    Optional<String> passwordHash(String username) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT password_hash FROM users WHERE username = ?")) {
            s.setString(1, username);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    boolean delete(String username) throws SQLException {
        return update("DELETE FROM users WHERE username = ?", username) > 0;
    }

    void setEnabled(String username, boolean enabled) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE users SET enabled = ? WHERE username = ?")) {
            s.setBoolean(1, enabled);
            s.setString(2, username);
            s.executeUpdate();
        }
    }

    void setRole(String username, Role role) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE users SET role = ? WHERE username = ?")) {
            s.setString(1, role.name().toLowerCase(Locale.ROOT));
            s.setString(2, username);
            s.executeUpdate();
        }
    }

    void setPassword(String username, String hash, Instant sessionsAfter) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE users SET password_hash = ?, sessions_after = ? WHERE username = ?")) {
            s.setString(1, hash);
            s.setObject(2, time(sessionsAfter));
            s.setString(3, username);
            s.executeUpdate();
        }
    }

    private int update(String sql, String arg) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            return s.executeUpdate();
        }
    }

    private static User user(ResultSet r) throws SQLException {
        return new User(r.getString(1), Role.valueOf(r.getString(2).toUpperCase(Locale.ROOT)), r.getBoolean(3),
                r.getObject(4, OffsetDateTime.class).toInstant(), r.getObject(5, OffsetDateTime.class).toInstant());
    }

    static OffsetDateTime time(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
