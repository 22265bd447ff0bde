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
        try (Connection c = db.connection()) {
            setEnabled(c, username, enabled);
        }
    }

    void setRole(String username, Role role) throws SQLException {
        try (Connection c = db.connection()) {
            setRole(c, username, role);
        }
    }

    /**
     * Deletes {@code username}, or disables it, or gives it a role that is not admin ({@code change}), unless it is
     * an enabled admin and no other would be left: then false, and nothing changed. The enabled admins' rows are
     * locked first, so two servers of a cluster taking away the last two admins at the same moment are taken one
     * after the other, and the second finds the first's change.
     */
    boolean keepingAnAdmin(String username, Change change) throws SQLException {
        return db.inTransaction(c -> {
            boolean itself = false;
            int others = 0;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT username FROM users WHERE role = 'admin' AND enabled = TRUE FOR UPDATE");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (r.getString(1).equals(username)) itself = true;
                    else others++;
                }
            }
            if (itself && others == 0) return false;
            change.apply(c);
            return true;
        });
    }

    /** One of the changes {@link #keepingAnAdmin} guards. */
    @FunctionalInterface
    interface Change {
        void apply(Connection c) throws SQLException;

        static Change delete(String username) {
            return c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM users WHERE username = ?")) {
                    s.setString(1, username);
                    s.executeUpdate();
                }
            };
        }

        static Change disable(String username) {
            return c -> setEnabled(c, username, false);
        }

        static Change role(String username, Role role) {
            return c -> setRole(c, username, role);
        }
    }

    private static void setEnabled(Connection c, String username, boolean enabled) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE users SET enabled = ? WHERE username = ?")) {
            s.setBoolean(1, enabled);
            s.setString(2, username);
            s.executeUpdate();
        }
    }

    private static void setRole(Connection c, String username, Role role) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE users SET role = ? WHERE username = ?")) {
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
