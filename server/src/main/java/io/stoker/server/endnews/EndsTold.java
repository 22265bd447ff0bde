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
public final class EndsTold implements NewsTold {
    private static final String FINAL = Arrays.stream(RunState.values()).filter(RunState::isFinal)
            .map(s -> "'" + States.sql(s) + "'").collect(Collectors.joining(", "));

    private final Database db;

    public EndsTold(Database db) {
        this.db = db;
    }

    @Override
    public String news() {
        return "end";
    }

    @Override
    public boolean once(String run, EndTeller teller, Telling telling) throws SQLException {
        return TellerBits.once(db, "end_told", run, teller, EndTeller.ALL, (c, r, t) -> false, telling);
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
