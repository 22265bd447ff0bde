package io.stoker.server.endnews;

import io.stoker.engine.run.RunState;
import io.stoker.server.db.Database;
import io.stoker.server.run.States;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The runs' {@code queued_told} marks: which {@link EndTeller}s ({@link EndTeller#tellsQueued those that tell it})
 * have told that a run is queued (a commit status's pending). The transaction that saves a run sets 0, as does the
 * one that queues it again after a restart; each teller queues its message in the transaction that sets its bit
 * ({@link #once}), so a queued is told once whatever stops the server, and what a crash left untold is told at the
 * next start or by the server that finds the killed one gone ({@link UntoldNews}). {@code -1}: nothing to tell.
 */
public final class QueuedTold implements NewsTold {
    private final Database db;

    public QueuedTold(Database db) {
        this.db = db;
    }

    @Override
    public String news() {
        return "queued";
    }

    /**
     * As {@link NewsTold#once}; also false, queueing nothing though the queued is marked told, when the run went on
     * and {@code teller} told its start or its end already: told after them, a queued would be the last word a
     * receiver heard of a run that runs or ended.
     */
    @Override
    public boolean once(String run, EndTeller teller, Telling telling) throws SQLException {
        return TellerBits.once(db, "queued_told", run, teller, EndTeller.ALL_QUEUED, QueuedTold::wentOn, telling);
    }

    private static boolean wentOn(Connection c, String run, EndTeller teller) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT status, started_at, start_told, end_told FROM runs "
                + "WHERE run_key = ?")) {
            s.setString(1, run);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && toldLater(r, teller);
            }
        }
    }

    /**
     * Whether the run of the row is no longer queued and {@code teller} told its start or its end (-1 holds every
     * teller's bit; a start mark counts only once the run has started).
     */
    private static boolean toldLater(ResultSet r, EndTeller teller) throws SQLException {
        RunState status = States.run(r.getString("status"));
        if (status == RunState.QUEUED) return false;
        boolean started = r.getTimestamp("started_at") != null && teller.toldIn(r.getInt("start_told"));
        return started || status.isFinal() && teller.toldIn(r.getInt("end_told"));
    }

    /** Runs whose queued some teller has not told, oldest first, at most {@code limit}. */
    public List<UntoldQueued> untold(int limit) throws SQLException {
        List<UntoldQueued> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT run_key, project, job, created_at, status, started_at, "
                     + "start_told, end_told, queued_told FROM runs WHERE queued_told >= 0 ORDER BY id LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int mark = r.getInt("queued_told");
                    Set<EndTeller> left = EnumSet.noneOf(EndTeller.class);
                    Set<EndTeller> moot = EnumSet.noneOf(EndTeller.class);
                    for (EndTeller t : EndTeller.values()) {
                        if (t.tellsQueued() && !t.toldIn(mark)) (toldLater(r, t) ? moot : left).add(t);
                    }
                    Timestamp created = r.getTimestamp("created_at");
                    out.add(new UntoldQueued(r.getString("run_key"), r.getString("project"), r.getString("job"),
                            created == null ? null : created.toInstant(), left, moot));
                }
            }
        }
        return out;
    }
}
