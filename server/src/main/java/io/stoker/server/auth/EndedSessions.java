package io.stoker.server.auth;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.stoker.server.auth.UserRepository.instant;
import static io.stoker.server.auth.UserRepository.time;

/**
 * Access tokens (by {@code jti}) and logins (by {@code sid}) ended before their tokens expire: by a logout, or a
 * refresh token presented twice. Every request is checked against the copy in memory, without a query; the
 * {@code ended_sessions} table keeps them so that a restarted server, and every server of a cluster sharing the
 * database, keeps refusing them until they expire (they are pruned after). Writes and loads block.
 */
final class EndedSessions {
    /** id → when its last token expires, epoch seconds. */
    private final Map<String, Long> ended = new ConcurrentHashMap<>();
    private final Database db;
    private final Clock clock;

    private EndedSessions(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The sessions ended and not yet expired, as stored; the expired ones are pruned. */
    static EndedSessions load(Database db, Clock clock) throws SQLException {
        EndedSessions s = new EndedSessions(db, clock);
        s.reload();
        return s;
    }

    boolean contains(String id) {
        return ended.containsKey(id);
    }

    /** Ends {@code id} until {@code expires}: stored first, so an answer saying so is never forgotten by a restart. */
    void end(String id, Instant expires) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement(db.dialect().upsert("ended_sessions", "id, expires_at", "id"))) {
            s.setString(1, id);
            s.setObject(2, time(expires));
            s.executeUpdate();
        }
        heard(id, expires.getEpochSecond());
        prune();
    }

    /** Another server of the cluster ended {@code id} (and stored it): refused here too from now on. */
    void heard(String id, long expiresEpochSecond) {
        ended.merge(id, expiresEpochSecond, Math::max);
        ended.values().removeIf(exp -> exp < clock.instant().getEpochSecond());
    }

    /** Reads the table again (at start, and when news from the other servers of a cluster may have been lost). */
    void reload() throws SQLException {
        prune();
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT id, expires_at FROM ended_sessions WHERE expires_at >= ?")) {
            s.setObject(1, time(clock.instant()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) heard(r.getString(1), instant(r, 2).getEpochSecond());
            }
        }
    }

    /** Forgets what has expired: its tokens are refused as expired anyway. */
    private void prune() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("DELETE FROM ended_sessions WHERE expires_at < ?")) {
            s.setObject(1, time(clock.instant()));
            s.executeUpdate();
        }
    }
}
