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
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The runs' {@code end_told} marks: which {@link EndTeller}s have told each run's end. A teller queues its messages
 * in the transaction that sets its bit ({@link #once}), so a run's end is told once whatever stops the server and
 * whichever server of a cluster tells it: of two tellers of one kind the second finds the bit set and queues nothing.
 */
public final class EndsTold {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EndsTold.class);
    private static final String FINAL = Arrays.stream(RunState.values()).filter(RunState::isFinal)
            .map(s -> "'" + States.sql(s) + "'").collect(Collectors.joining(", "));

    private final Database db;

    public EndsTold(Database db) {
        this.db = db;
    }

    /** What a teller queues for a run's end, on the connection of the transaction that marks it told. */
    @FunctionalInterface
    public interface Telling {
        void queue(Connection c) throws SQLException;
    }

    /**
     * Marks that {@code teller} told {@code run}'s end and, in the same transaction, runs {@code telling}; false,
     * running nothing, when it was told already (or the run is gone). Rolled back, mark and all, when
     * {@code telling} throws.
     */
    public boolean once(String run, EndTeller teller, Telling telling) throws SQLException {
        return db.inTransaction(c -> {
            // the mark first: a second teller of this kind (another server) waits here for this one's commit, then
            // finds the bit set
            try (PreparedStatement s = c.prepareStatement("UPDATE runs SET end_told = CASE WHEN "
                    + db.dialect().bitOr("end_told") + " = ? THEN -1 ELSE " + db.dialect().bitOr("end_told")
                    + " END WHERE run_key = ? AND " + db.dialect().bitAnd("end_told") + " = 0")) {
                s.setInt(1, teller.bit());
                s.setInt(2, EndTeller.ALL);
                s.setInt(3, teller.bit());
                s.setString(4, run);
                s.setInt(5, teller.bit());
                if (s.executeUpdate() == 0) return false;
            }
            telling.queue(c);
            return true;
        });
    }

    /** Marks that {@code teller} had nothing to tell of {@code run}'s end (or gave up telling it). */
    public void told(String run, EndTeller teller) throws SQLException {
        once(run, teller, c -> { });
    }

    /**
     * Marks that {@code teller} gave up telling {@code run}'s end for a reason that would stop it again (a message it
     * cannot make): it is not asked again after a restart. A store that fails now leaves it to be asked.
     */
    public void gaveUp(String run, EndTeller teller) {
        try {
            told(run, teller);
        } catch (SQLException e) {
            LOG.warn("run {}: its end cannot be marked told for its {}: {}", run, teller.label(), e.toString());
        }
    }

    /**
     * After {@code teller} failed to tell {@code run}'s end: a store that failed may work at the next start, which
     * asks again, so the end stays untold; anything else would fail again, so it {@link #gaveUp}.
     */
    public void failed(String run, EndTeller teller, Exception why) {
        if (!(why instanceof SQLException)) gaveUp(run, teller);
    }

    /** Ended runs some teller has not told, oldest first, at most {@code limit}. */
    public List<Untold> untold(int limit) throws SQLException {
        List<Untold> out = new ArrayList<>();
        // -1 marks a run every teller told; a running run's mark is 0 until it ends
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("SELECT run_key, project, job, status, finished_at, held_by, "
                     + "end_told FROM runs WHERE end_told >= 0 AND status IN (" + FINAL + ") ORDER BY id LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int mark = r.getInt("end_told");
                    Set<EndTeller> left = EnumSet.noneOf(EndTeller.class);
                    for (EndTeller t : EndTeller.values()) if (!t.toldIn(mark)) left.add(t);
                    Timestamp ended = r.getTimestamp("finished_at");
                    out.add(new Untold(r.getString("run_key"), r.getString("project"), r.getString("job"),
                            States.run(r.getString("status")), ended == null ? null : ended.toInstant(),
                            r.getString("held_by"), left));
                }
            }
        }
        return out;
    }
}
