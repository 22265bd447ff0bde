package io.stoker.server.auth;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static io.stoker.server.auth.UserRepository.time;

/**
 * The download tickets used, by id, in the {@code download_ticket_uses} table: a ticket opens its download once, and
 * every server of a cluster sharing the database sees the use (a copy in one server's memory would let a second use
 * through another server). A use is one {@code INSERT} on the primary key, so two uses at once cannot both pass; a
 * row is pruned once its ticket has expired (at most once a minute, as uses come), which bounds the table. Blocking.
 */
final class UsedTickets {
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final String DUPLICATE_KEY = "23505";

    private final Database db;
    private final Clock clock;
    private volatile Instant lastPrune = Instant.MIN;

    UsedTickets(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Records a use of the ticket {@code id}, which expires at {@code expires}; false when it was used before. */
    boolean firstUse(String id, Instant expires) throws SQLException {
        Instant now = clock.instant();
        if (lastPrune.plus(PRUNE_EVERY).isBefore(now)) prune(now);
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO download_ticket_uses (ticket_id, expires_at) VALUES (?, ?)")) {
            s.setString(1, id);
            s.setObject(2, time(expires));
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) return false;
            throw e;
        }
    }

    /** Forgets the uses of expired tickets: those are refused as expired anyway. */
    private void prune(Instant now) throws SQLException {
        lastPrune = now;
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("DELETE FROM download_ticket_uses WHERE expires_at < ?")) {
            s.setObject(1, time(now));
            s.executeUpdate();
        }
    }
}
