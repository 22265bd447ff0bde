package io.stoker.server.endnews;

import io.stoker.engine.run.RunState;
import io.stoker.server.db.Database;
import io.stoker.server.run.States;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The runs' {@code start_told} marks: which {@link EndTeller}s ({@link EndTeller#tellsStarts those that tell starts})
 * have told a run's start ({@code running}, {@code started}). The transaction that starts a run (queued → running)
 * clears the mark to 0; each teller queues its messages in the transaction that sets its bit ({@link #once}), so a
 * start is told once whatever stops the server, and what a crash left untold is told at the next start or by the
 * server that finds the killed one gone ({@link UntoldNews}). {@code -1}: nothing to tell (every teller told it, or the
 * run never started).
 */
public final class StartsTold implements NewsTold {
    private final Database db;

    public StartsTold(Database db) {
        this.db = db;
    }

    @Override
    public String news() {
        return "start";
    }

    /**
     * As {@link NewsTold#once}; also false, queueing nothing though the start is marked told, when {@code teller} has
     * told the run's end already: told after it, a {@code running} would be the last word a receiver heard of a run
     * that ended.
     */
    @Override
    public boolean once(String run, EndTeller teller, Telling telling) throws SQLException {
        return TellerBits.once(db, "start_told", run, teller, EndTeller.ALL_STARTS, StartsTold::endTold, telling);
    }

    private static boolean endTold(Connection c, String run, EndTeller teller) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT end_told FROM runs WHERE run_key = ?")) {
            s.setString(1, run);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && teller.toldIn(r.getInt(1));
            }
        }
    }

    /** Started runs (running or ended since) whose start some teller has not told, oldest first, at most {@code limit}. */
    public List<UntoldStart> untold(int limit) throws SQLException {
        List<UntoldStart> out = new ArrayList<>();
        // a run queued again (a restart's retry or resume) has its start told when it starts again
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT run_key, project, job, started_at, finished_at, held_by, "
                     + "start_told, end_told FROM runs WHERE start_told >= 0 AND status <> ? ORDER BY id LIMIT ?")) {
            s.setString(1, States.sql(RunState.QUEUED));
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int mark = r.getInt("start_told");
                    int ends = r.getInt("end_told");
                    Set<EndTeller> left = EnumSet.noneOf(EndTeller.class);
                    Set<EndTeller> moot = EnumSet.noneOf(EndTeller.class);
                    for (EndTeller t : EndTeller.values()) {
                        if (t.tellsStarts() && !t.toldIn(mark)) (t.toldIn(ends) ? moot : left).add(t);
                    }
                    out.add(new UntoldStart(r.getString("run_key"), r.getString("project"), r.getString("job"),
                            instant(r.getTimestamp("started_at")), instant(r.getTimestamp("finished_at")),
                            r.getString("held_by"), left, moot));
                }
            }
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
