package io.stoker.server.forge;

import io.stoker.server.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The delivery ids of webhooks the server acted on, with their bodies' digests, in the store for {@link #retention()}:
 * the same id again is a replay, and so is the same signed body under another id (the host's signature does not cover
 * the id). Recording is one {@code INSERT} on the primary key and a unique body key, so two copies of a delivery sent
 * at once cannot both pass.
 * Rows older than the retention are pruned as new ones arrive (at most once a minute), which bounds the table; a
 * replay older than the retention is no longer recognised.
 */
public final class SeenDeliveries {
    /** How long ids are kept by default: longer than any host retries a delivery by itself. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final String DUPLICATE_KEY = "23505";

    private final Database db;
    private final Clock clock;
    private final Duration retention;
    private volatile Instant lastPrune = Instant.MIN;

    public SeenDeliveries(Database db, Clock clock, Duration retention) {
        if (retention.isNegative() || retention.isZero()) throw new IllegalArgumentException("retention must be positive");
        this.db = db;
        this.clock = clock;
        this.retention = retention;
    }

    public Duration retention() {
        return retention;
    }

    /** How a delivery compares with those recorded within the retention. */
    public sealed interface Seen permits Seen.First, Seen.SameId, Seen.SameBody {
        /** Not seen before: recorded now. */
        record First() implements Seen {
        }

        /** Its id was recorded before: a replay. */
        record SameId() implements Seen {
        }

        /** Its body was recorded before under another id: a replay whose id was changed (no signature covers it). */
        record SameBody() implements Seen {
        }
    }

    /**
     * Records a delivery; false when the id was already recorded for this host within the retention (a replay).
     */
    public boolean firstSeen(GitHost host, String deliveryId) throws SQLException {
        return record(host, deliveryId, deliveryId, null) instanceof Seen.First;
    }

    /**
     * Records a delivery remembered under a scoped key ({@link DeliveryScope}) whose id the host sent is
     * {@code plainId} (a plain row recorded before ids were scoped, an earlier release, counts as seen too), with its
     * body's key ({@link DeliveryScope#bodyKey}; null for none): either seen before within the retention is a replay.
     */
    public Seen record(GitHost host, String deliveryId, String plainId, String bodyKey) throws SQLException {
        Instant now = clock.instant();
        pruneIfDue(now);
        if (!plainId.equals(deliveryId) && seenBeforeScopes(host, plainId)) return new Seen.SameId();
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement(
                     "INSERT INTO webhook_deliveries (host, delivery_id, received_at, body_key) VALUES (?, ?, ?, ?)")) {
            s.setString(1, host.path());
            s.setString(2, deliveryId);
            s.setTimestamp(3, Timestamp.from(now));
            s.setString(4, bodyKey);
            s.executeUpdate();
            return new Seen.First();
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState())) throw e;
            // one of the two keys is taken: the id, or (under a new id) the body
            return recorded(host, deliveryId) ? new Seen.SameId() : new Seen.SameBody();
        }
    }

    private boolean recorded(GitHost host, String deliveryId) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM webhook_deliveries WHERE host = ? AND delivery_id = ?")) {
            s.setString(1, host.path());
            s.setString(2, deliveryId);
            return s.executeQuery().next();
        }
    }

    private boolean seenBeforeScopes(GitHost host, String plainId) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT 1 FROM webhook_deliveries "
                + "WHERE host = ? AND delivery_id = ? AND before_scopes = TRUE")) {
            s.setString(1, host.path());
            s.setString(2, plainId);
            return s.executeQuery().next();
        }
    }

    /** Forgets a delivery that started nothing, so the host's own redelivery of it is taken. */
    public void forget(GitHost host, String deliveryId) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("DELETE FROM webhook_deliveries WHERE host = ? AND delivery_id = ?")) {
            s.setString(1, host.path());
            s.setString(2, deliveryId);
            s.executeUpdate();
        }
    }

    /** Deletes the ids older than the retention; returns how many. */
    public int prune() throws SQLException {
        Instant now = clock.instant();
        lastPrune = now;
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("DELETE FROM webhook_deliveries WHERE received_at < ?")) {
            s.setTimestamp(1, Timestamp.from(now.minus(retention)));
            return s.executeUpdate();
        }
    }

    /** How many ids are kept now. */
    public int count() throws SQLException {
        try (Connection c = db.connection();
             var s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM webhook_deliveries")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void pruneIfDue(Instant now) throws SQLException {
        if (lastPrune.plus(PRUNE_EVERY).isBefore(now)) prune();
    }
}
