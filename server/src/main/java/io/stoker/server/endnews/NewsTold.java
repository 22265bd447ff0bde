package io.stoker.server.endnews;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the tellers mark that they told one piece of a run's news, its queued ({@link QueuedTold}), its start
 * ({@link StartsTold}) or its end ({@link EndsTold}), each in a column of {@link EndTeller} bits: a teller queues its
 * messages in the transaction that sets its bit ({@link #once}), so the news is told once whatever stops the server
 * and whichever server of a cluster tells it.
 */
public sealed interface NewsTold permits QueuedTold, StartsTold, EndsTold {
    /** What a teller queues, on the connection of the transaction that marks the news told. */
    @FunctionalInterface
    interface Telling {
        void queue(Connection c) throws SQLException;
    }

    /** What the news is called in the server's log: {@code queued}, {@code start}, {@code end}. */
    String news();

    /**
     * Marks that {@code teller} told {@code run}'s news and, in the same transaction, runs {@code telling}; false,
     * running nothing, when it was told already (or the run is gone, or the news is stale). Rolled back, mark and
     * all, when {@code telling} throws.
     */
    boolean once(String run, EndTeller teller, Telling telling) throws SQLException;

    /** Marks that {@code teller} had nothing to tell of {@code run}'s news (or gave up telling it). */
    default void told(String run, EndTeller teller) throws SQLException {
        once(run, teller, c -> { });
    }

    /**
     * Marks that {@code teller} gave up telling {@code run}'s news for a reason that would stop it again (a message
     * it cannot make): it is not asked again after a restart. A store that fails now leaves it to be asked.
     */
    default void gaveUp(String run, EndTeller teller) {
        try {
            told(run, teller);
        } catch (SQLException e) {
            org.slf4j.LoggerFactory.getLogger(NewsTold.class).warn("run {}: its {} cannot be marked told for its {}: {}",
                    run, news(), teller.label(), e.toString());
        }
    }

    /**
     * After {@code teller} failed to tell {@code run}'s news: a store that failed may work at the next start, which
     * asks again, so the news stays untold; anything else would fail again, so it {@link #gaveUp}.
     */
    default void failed(String run, EndTeller teller, Exception why) {
        if (!(why instanceof SQLException)) gaveUp(run, teller);
    }
}
