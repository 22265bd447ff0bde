package io.stoker.server.endnews;

import io.stoker.server.db.Database;
import io.stoker.server.db.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The one update that sets a teller's bit in a column of {@link EndTeller} bits of a run's row. */
final class TellerBits {
    private TellerBits() {
    }

    /** Whether a teller has nothing to tell after all: it told a later piece of the run's news already. */
    @FunctionalInterface
    interface Stale {
        boolean test(Connection c, String run, EndTeller teller) throws SQLException;
    }

    /**
     * {@link NewsTold#once} of the news marked in {@code column} ({@code all}: its tellers' bits): sets the bit and,
     * unless the news is {@code stale} for the teller, runs {@code telling}, all in one transaction.
     */
    static boolean once(Database db, String column, String run, EndTeller teller, int all, Stale stale,
                        NewsTold.Telling telling) throws SQLException {
        return db.inTransaction(c -> {
            if (!set(c, db.dialect(), column, run, teller, all)) return false;
            if (stale.test(c, run, teller)) return false;
            telling.queue(c);
            return true;
        });
    }

    /**
     * Sets {@code teller}'s bit of {@code column} in {@code run}'s row, or {@code -1} when that makes the bits of
     * {@code all}; false when the bit was set already (or the run is gone). The first statement of its transaction:
     * a second teller of this kind (another server) waits here for this one's commit, then finds the bit set.
     */
    static boolean set(Connection c, Dialect dialect, String column, String run, EndTeller teller, int all)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE runs SET " + column + " = CASE WHEN "
                + dialect.bitOr(column) + " = ? THEN -1 ELSE " + dialect.bitOr(column) + " END WHERE run_key = ? AND "
                + dialect.bitAnd(column) + " = 0")) {
            s.setInt(1, teller.bit());
            s.setInt(2, all);
            s.setInt(3, teller.bit());
            s.setString(4, run);
            s.setInt(5, teller.bit());
            return s.executeUpdate() > 0;
        }
    }
}
