package io.stoker.server.auth;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.stoker.server.auth.UserRepository.instant;
import static io.stoker.server.auth.UserRepository.time;

/** The {@code refresh_tokens} and {@code api_tokens} tables, by token hash. Blocking. */
final class TokenRepository {
    private final Database db;

    TokenRepository(Database db) {
        this.db = db;
    }

    /** A stored refresh token. */
    record Refresh(long id, String family, String username, Instant expiresAt, Instant revokedAt) {
    }

    /** A stored API token, with the id its last-use stamp is written by. */
    /** An API token as a request presents it; {@code lastUsedAt} is null before its first use. */
    record Api(long id, String username, String name, Instant expiresAt, Instant lastUsedAt, Role role) {
        /** How stale the stamp of the last use may get: a use is written at most once in this time. */
        static final java.time.Duration STAMP_EVERY = java.time.Duration.ofSeconds(60);

        /** Whether a use at {@code now} is worth a write: none was stamped within {@link #STAMP_EVERY}. */
        boolean stampDue(Instant now) {
            return lastUsedAt == null || lastUsedAt.isBefore(now.minus(STAMP_EVERY));
        }
    }

    void insertRefresh(String hash, String family, String username, Instant now, Instant expiresAt) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("INSERT INTO refresh_tokens "
                + "(token_hash, family, username, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, hash);
            s.setString(2, family);
            s.setString(3, username);
            s.setObject(4, time(now));
            s.setObject(5, time(expiresAt));
            s.executeUpdate();
        }
    }

    Optional<Refresh> refresh(String hash) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT id, family, username, "
                + "expires_at, revoked_at FROM refresh_tokens WHERE token_hash = ?")) {
            s.setString(1, hash);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) return Optional.empty();
                return Optional.of(new Refresh(r.getLong(1), r.getString(2), r.getString(3), instant(r, 4), instant(r, 5)));
            }
        }
    }

    /**
     * Revokes {@code old} and stores its successor in one transaction; false when {@code old} was revoked
     * meanwhile (two refreshes raced: only one may win).
     */
    boolean rotate(Refresh old, String newHash, Instant now, Instant expiresAt) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE refresh_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                s.setObject(1, time(now));
                s.setLong(2, old.id());
                if (s.executeUpdate() == 0) return false;
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO refresh_tokens "
                    + "(token_hash, family, username, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, newHash);
                s.setString(2, old.family());
                s.setString(3, old.username());
                s.setObject(4, time(now));
                s.setObject(5, time(expiresAt));
                s.executeUpdate();
            }
            return true;
        });
    }

    int revokeFamily(String family, Instant now) throws SQLException {
        return revoke("family = ?", family, now);
    }

    int revokeUser(String username, Instant now) throws SQLException {
        return revoke("username = ?", username, now);
    }

    private int revoke(String where, String arg, Instant now) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "UPDATE refresh_tokens SET revoked_at = ? WHERE " + where + " AND revoked_at IS NULL")) {
            s.setObject(1, time(now));
            s.setString(2, arg);
            return s.executeUpdate();
        }
    }

    /** False when the user has a token of that name already. */
    boolean insertApi(String username, String name, String hash, Instant now, Instant expiresAt, Role role)
            throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("INSERT INTO api_tokens "
                + "(username, name, token_hash, created_at, expires_at, role) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, username);
            s.setString(2, name);
            s.setString(3, hash);
            s.setObject(4, time(now));
            s.setObject(5, time(expiresAt));
            s.setString(6, role == null ? null : Users.roleName(role));
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) return false;
            throw e;
        }
    }

    Optional<Api> api(String hash) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, username, name, expires_at, last_used_at, role FROM api_tokens WHERE token_hash = ?")) {
            s.setString(1, hash);
            return api(s);
        }
    }

    /** The API token stored as {@code id}; empty once it was revoked. */
    Optional<Api> api(long id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, username, name, expires_at, last_used_at, role FROM api_tokens WHERE id = ?")) {
            s.setLong(1, id);
            return api(s);
        }
    }

    private static Optional<Api> api(PreparedStatement s) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            if (!r.next()) return Optional.empty();
            return Optional.of(new Api(r.getLong(1), r.getString(2), r.getString(3), instant(r, 4), instant(r, 5),
                    role(r.getString(6))));
        }
    }

    /**
     * Stamps a use, at most once a minute per token, so reads do not turn into a disk write each. The caller skips it
     * when the token it read was stamped within the minute ({@link Api#stampDue}); the condition here keeps two
     * servers or two requests of the same second from writing twice.
     */
    void touch(long id, Instant now) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("UPDATE api_tokens SET "
                + "last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
            s.setObject(1, time(now));
            s.setLong(2, id);
            s.setObject(3, time(now.minus(Api.STAMP_EVERY)));
            s.executeUpdate();
        }
    }

    /** A user's tokens by name, or everyone's when {@code username} is null. */
    List<ApiToken> apiTokens(String username) throws SQLException {
        String sql = "SELECT username, name, created_at, expires_at, last_used_at, role FROM api_tokens"
                + (username == null ? "" : " WHERE username = ?") + " ORDER BY username, name";
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (username != null) s.setString(1, username);
            try (ResultSet r = s.executeQuery()) {
                List<ApiToken> out = new ArrayList<>();
                while (r.next()) {
                    out.add(new ApiToken(r.getString(1), r.getString(2), instant(r, 3), instant(r, 4), instant(r, 5),
                            role(r.getString(6))));
                }
                return out;
            }
        }
    }

    /** A stored token role (null: none, the user's role applies). */
    private static Role role(String stored) {
        return stored == null ? null : Users.role(stored);
    }

    boolean deleteApi(String username, String name) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM api_tokens WHERE username = ? AND name = ?")) {
            s.setString(1, username);
            s.setString(2, name);
            return s.executeUpdate() > 0;
        }
    }
}
