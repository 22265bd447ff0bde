package io.stoker.server.outbox;

import io.stoker.server.db.Database;
import io.stoker.server.db.Json;
import io.stoker.server.secret.SecretBox;
import io.stoker.server.secret.SecretUnreadableException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable outbox and the webhooks each run asked for. Blocking JDBC: call it off the event loop. The
 * Authorization header a target URL's credentials make, and a signed target's signing key, are sealed with the
 * master key, each bound to its column, the row's kind and its target.
 */
public final class Outbox {
    private final Database db;
    private final SecretBox box;
    private final Clock clock;
    /** The server whose sender claims deliveries here: its id (null for a store read without sending). */
    private final String claimant;

    public Outbox(Database db, SecretBox box, Clock clock) {
        this(db, box, clock, null);
    }

    /**
     * @param claimant the server's id: its claims are given up when the cluster finds it lost, or when the next
     *                 server alone on its store starts ({@link #releaseClaimsNotOf})
     */
    public Outbox(Database db, SecretBox box, Clock clock, String claimant) {
        this.db = db;
        this.box = box;
        this.clock = clock;
        this.claimant = claimant;
    }

    /** A due delivery with its credential header opened, for the sender only. */
    record Due(Delivery delivery, Endpoint endpoint) {
    }

    /**
     * Runs given receivers by this server since {@link #takeSubscribed} last asked, by {@code kind + ' ' + key}: so a
     * new run's first message can go out before it starts without a read of the database for every run.
     */
    private final java.util.Set<String> subscribedHere = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Whether {@link #subscribe} gave the run {@code kind} receivers here since the last ask; forgets it. */
    public boolean takeSubscribed(String runKey, String kind) {
        return subscribedHere.remove(kind + " " + runKey);
    }

    /** Remembers the receivers of a run's {@code kind} messages (e.g. its status webhooks). */
    public void subscribe(String runKey, String kind, List<Endpoint> endpoints) throws SQLException {
        if (endpoints.isEmpty()) return;
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("INSERT INTO run_webhooks (run_key, kind, target, auth_sealed, signing_sealed) "
                     + "VALUES (?, ?, ?, ?, ?)")) {
            for (Endpoint e : endpoints) {
                s.setString(1, runKey);
                s.setString(2, kind);
                s.setString(3, e.url());
                setSealed(s, 4, e, kind);
                setSigning(s, 5, e, kind);
                s.addBatch();
            }
            s.executeBatch();
        }
        subscribedHere.add(kind + " " + runKey);
    }

    /** The receivers of a run's {@code kind} messages, in the order they were given. */
    public List<Endpoint> targets(String runKey, String kind) throws SQLException {
        List<Endpoint> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT target, auth_sealed, signing_sealed FROM run_webhooks "
                     + "WHERE run_key = ? AND kind = ? ORDER BY id")) {
            s.setString(1, runKey);
            s.setString(2, kind);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String target = r.getString(1);
                    out.add(new Endpoint(target, open(r.getBytes(2), kind, target), null, Map.of(),
                            openSigning(r.getBytes(3), kind, target)));
                }
            }
        }
        return out;
    }

    /** Queues a message; the sender posts it as soon as the ones before it to the same run and target are done. */
    public long enqueue(String runKey, String kind, Endpoint target, String payload) throws SQLException {
        try (Connection c = db.connection()) {
            return enqueue(c, runKey, kind, target, payload);
        }
    }

    /** As {@link #enqueue(String, String, Endpoint, String)}, on {@code c}: part of the caller's transaction. */
    public long enqueue(Connection c, String runKey, String kind, Endpoint target, String payload) throws SQLException {
        Instant now = clock.instant();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO deliveries (run_key, kind, target, auth_sealed, payload, "
                     + "attempts, next_attempt_at, state, created_at, headers, auth_header, signing_sealed) "
                     + "VALUES (?, ?, ?, ?, ?, 0, ?, 'pending', ?, ?, ?, ?)",
                     new String[]{"id"})) {
            s.setString(1, runKey);
            s.setString(2, kind);
            s.setString(3, target.url());
            setSealed(s, 4, target, kind);
            s.setString(5, payload);
            s.setTimestamp(6, Timestamp.from(now));
            s.setTimestamp(7, Timestamp.from(now));
            s.setString(8, target.headers().isEmpty() ? null : Json.write(target.headers()));
            s.setString(9, target.authHeader());
            setSigning(s, 10, target, kind);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Pending deliveries due at {@code now} that head their run and target's line: a later message never overtakes
     * an earlier one to the same receiver.
     */
    List<Due> due(Instant now, int limit) throws SQLException {
        List<Due> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT d.* FROM deliveries d WHERE d.state = 'pending' "
                     + "AND d.next_attempt_at <= ? AND d.id = (SELECT MIN(e.id) FROM deliveries e WHERE e.state = 'pending' "
                     + "AND e.run_key = d.run_key AND e.target = d.target) ORDER BY d.id LIMIT ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Delivery d = delivery(r, List.of());
                    Map<String, String> headers = new LinkedHashMap<>();
                    String plain = r.getString("headers");
                    if (plain != null) Json.map(plain).forEach((k, v) -> headers.put(k, String.valueOf(v)));
                    out.add(new Due(d, new Endpoint(d.target(), open(r.getBytes("auth_sealed"), d.kind(), d.target()),
                            r.getString("auth_header"), headers, openSigning(r.getBytes("signing_sealed"), d.kind(), d.target()))));
                }
            }
        }
        return out;
    }

    /**
     * Takes a due delivery for one sender until {@code until}: false when another sender took it first. Every
     * server of a cluster ticks the same table, and without this each sent what it found due (a webhook or an email
     * went out once per server). A sender that dies holding it leaves it due again once {@code until} has passed, or
     * as soon as the cluster finds its server lost ({@link #releaseClaimsOf}), or a server alone on the store starts
     * again ({@link #releaseClaimsNotOf}).
     */
    boolean claim(Delivery d, Instant now, Instant until) throws SQLException {
        return reschedule(d, until, now, claimant);
    }

    /** Ends a {@link #claim} without an attempt: the delivery is due again at {@code now}. */
    void release(Delivery d, Instant now) throws SQLException {
        reschedule(d, now, null, null);
    }

    /**
     * Gives up the claims of the senders of {@code servers}, servers the cluster found lost (killed, or silent past
     * their lease, as their runs are taken over): what they were sending is due again at {@code now}, not when their
     * claims run out (three attempt timeouts, 30 s by default). Returns how many.
     */
    public int releaseClaimsOf(java.util.Collection<String> servers, Instant now) throws SQLException {
        if (servers.isEmpty()) return 0;
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE deliveries SET next_attempt_at = ?, claimed_by = NULL "
                     + "WHERE claimed_by = ? AND state = 'pending'")) {
            int released = 0;
            for (String server : servers) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setString(2, server);
                released += s.executeUpdate();
            }
            return released;
        }
    }

    /**
     * Gives up every claim held by a server not among {@code alive}: a server alone on its store (H2, whose file one
     * process opens) passes itself at its start, so what a killed predecessor was sending is due again at
     * {@code now}, not when that claim runs out. Only where no other server lives: a cluster's are given up by
     * {@link #releaseClaimsOf} once it finds them lost, never a live peer's. Returns how many.
     */
    public int releaseClaimsNotOf(java.util.Set<String> alive, Instant now) throws SQLException {
        String others = alive.isEmpty() ? "" : " AND claimed_by NOT IN ("
                + String.join(", ", java.util.Collections.nCopies(alive.size(), "?")) + ")";
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE deliveries SET next_attempt_at = ?, claimed_by = NULL "
                     + "WHERE claimed_by IS NOT NULL AND state = 'pending'" + others)) {
            s.setTimestamp(1, Timestamp.from(now));
            int i = 2;
            for (String server : alive) s.setString(i++, server);
            return s.executeUpdate();
        }
    }

    /**
     * Moves a pending delivery's next attempt to {@code next}, if no attempt was recorded since {@code d} was read,
     * claimed by {@code by} (null: by none).
     */
    private boolean reschedule(Delivery d, Instant next, Instant onlyIfDueBy, String by) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE deliveries SET next_attempt_at = ?, claimed_by = ? "
                     + "WHERE id = ? AND state = 'pending' AND attempts = ?"
                     + (onlyIfDueBy == null ? "" : " AND next_attempt_at <= ?"))) {
            s.setTimestamp(1, Timestamp.from(next));
            s.setString(2, by);
            s.setLong(3, d.id());
            s.setInt(4, d.attempts());
            if (onlyIfDueBy != null) s.setTimestamp(5, Timestamp.from(onlyIfDueBy));
            return s.executeUpdate() == 1;
        }
    }

    /** Records an attempt's outcome and the delivery's new state (and, while pending, when to try next). */
    void attempted(long id, int attempt, Integer status, String error, DeliveryState state, Instant next) throws SQLException {
        Instant now = clock.instant();
        String err = error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error;
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO delivery_attempts (delivery_id, attempt, at, status, error) VALUES (?, ?, ?, ?, ?)")) {
                s.setLong(1, id);
                s.setInt(2, attempt);
                s.setTimestamp(3, Timestamp.from(now));
                if (status == null) s.setNull(4, Types.INTEGER); else s.setInt(4, status);
                s.setString(5, err);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE deliveries SET attempts = ?, state = ?, last_status = ?, "
                    + "last_error = ?, next_attempt_at = ?, claimed_by = NULL WHERE id = ?")) {
                s.setInt(1, attempt);
                s.setString(2, state.label());
                if (status == null) s.setNull(3, Types.INTEGER); else s.setInt(3, status);
                s.setString(4, err);
                s.setTimestamp(5, Timestamp.from(next == null ? now : next));
                s.setLong(6, id);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Gives up on what has waited longer than the window without being accepted. */
    int expire(Instant createdBefore) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE deliveries SET state = 'expired' WHERE state = 'pending' AND created_at < ?")) {
            s.setTimestamp(1, Timestamp.from(createdBefore));
            return s.executeUpdate();
        }
    }

    /** Every delivery of a run, oldest first, each with its attempts. */
    public List<Delivery> list(String runKey) throws SQLException {
        try (Connection c = db.connection()) {
            Map<Long, List<Delivery.Attempt>> attempts = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT a.* FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id "
                    + "WHERE d.run_key = ? ORDER BY a.delivery_id, a.attempt")) {
                s.setString(1, runKey);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        attempts.computeIfAbsent(r.getLong("delivery_id"), k -> new ArrayList<>()).add(new Delivery.Attempt(
                                r.getInt("attempt"), r.getTimestamp("at").toInstant(), (Integer) r.getObject("status"),
                                r.getString("error")));
                    }
                }
            }
            List<Delivery> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM deliveries WHERE run_key = ? ORDER BY id")) {
                s.setString(1, runKey);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) out.add(delivery(r, attempts.getOrDefault(r.getLong("id"), List.of())));
                }
            }
            return out;
        }
    }

    private static Delivery delivery(ResultSet r, List<Delivery.Attempt> history) throws SQLException {
        return new Delivery(r.getLong("id"), r.getString("run_key"), r.getString("kind"), r.getString("target"),
                r.getString("payload"), r.getInt("attempts"), r.getTimestamp("next_attempt_at").toInstant(),
                DeliveryState.of(r.getString("state")), (Integer) r.getObject("last_status"), r.getString("last_error"),
                r.getTimestamp("created_at").toInstant(), List.copyOf(history),
                r.getBytes("signing_sealed") != null);
    }

    private void setSealed(PreparedStatement s, int index, Endpoint e, String kind) throws SQLException {
        if (e.authorization() == null) s.setNull(index, Types.VARBINARY);
        else s.setBytes(index, box.sealText(e.authorization(), context(kind, e.url())));
    }

    private void setSigning(PreparedStatement s, int index, Endpoint e, String kind) throws SQLException {
        if (e.signingSecret() == null) s.setNull(index, Types.VARBINARY);
        else s.setBytes(index, box.sealText(e.signingSecret(), signingContext(kind, e.url())));
    }

    /**
     * A signed target's key, opened; an empty string when it cannot be (a changed master key): never null, so the
     * message is not sent unsigned to a receiver that checks, and its refusal shows in the attempts.
     */
    private String openSigning(byte[] sealed, String kind, String target) {
        if (sealed == null) return null;
        try {
            return box.openText(sealed, signingContext(kind, target));
        } catch (SecretUnreadableException e) {
            return "";
        }
    }

    /** Another context than the credential's: neither sealed value can be moved into the other's column. */
    private static String signingContext(String kind, String target) {
        return "outbox-signing:" + kind + ":" + target;
    }

    private String open(byte[] sealed, String kind, String target) {
        if (sealed == null) return null;
        try {
            return box.openText(sealed, context(kind, target));
        } catch (SecretUnreadableException e) {
            return null; // a changed master key: sent without auth; the receiver's 401 shows in the attempts
        }
    }

    private static String context(String kind, String target) {
        return "outbox:" + kind + ":" + target;
    }
}
