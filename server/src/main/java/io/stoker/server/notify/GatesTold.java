package io.stoker.server.notify;

import io.stoker.server.db.Database;
import io.stoker.server.endnews.NewsTold;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The tasks' {@code approval_told} marks: whether an open approval gate's "waits for approval" messages were queued.
 * They are queued in the transaction that sets the mark ({@link #once}), so a gate is told once whatever stops the
 * server, and a gate that waits again after a restart (or on the server that took its run over) is told then only
 * when a crash kept it from being told as it opened; without the mark it was either told twice or not at all.
 */
public final class GatesTold {
    private final Database db;

    public GatesTold(Database db) {
        this.db = db;
    }

    /**
     * Marks the gate of task {@code task} of run {@code run} told and, in the same transaction, runs {@code telling};
     * false, running nothing, when it was told already (or the gate is gone: the run was deleted).
     */
    boolean once(String run, String task, NewsTold.Telling telling) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE task_states SET approval_told = TRUE WHERE run_id = "
                    + "(SELECT id FROM runs WHERE run_key = ?) AND name = ? AND approval_question IS NOT NULL "
                    + "AND approval_told = FALSE")) {
                s.setString(1, run);
                s.setString(2, task);
                if (s.executeUpdate() == 0) return false;
            }
            telling.queue(c);
            return true;
        });
    }
}
