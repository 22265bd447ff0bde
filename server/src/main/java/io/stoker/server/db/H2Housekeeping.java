package io.stoker.server.db;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives the space of mostly dead H2 chunks to the chunks to come while the server runs. With {@code WRITE_DELAY=0}
 * every commit stores a chunk of its own (~110 KB of chunks a no-op run), and H2 starts no background thread, so
 * nothing it does by itself while the database is open rewrites the chunks that still hold a few live pages: they
 * stayed until the database closed (a server doing 4 no-op runs a second kept ~25 KB a run for good; 4,000 runs left
 * 435 MB holding 9.4 MB of data). Every {@link #PERIOD} this does the half of H2's own background housekeeping that
 * rewrites: it copies the live pages of the emptiest chunks older than H2's retention time (45 s) into a new one, so
 * they die and their space is reused by the chunks to come. The file then grows about half as fast under a steady
 * load, never below what 45 s of commits write, and does not shrink until the database closes: the other half,
 * moving chunks from the file's end into free space, failed an assertion inside H2 2.3.232 ({@code moveChunkInside})
 * when tried here, and a failure there closes the store. A pass holds the one H2 connection, so no commit runs beside it.
 */
final class H2Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    static final Duration PERIOD = Duration.ofSeconds(2);
    /** A pass rewrites chunks while the chunks' live share of their bytes is under this (H2's own default is 90). */
    static final int FILL_RATE = 80;
    /** Live bytes rewritten per pass at most: a pass holds commits back while it runs (a few ms; ~140 at most seen). */
    static final int REWRITE_BYTES = 1 << 20;
    /** How long passes go on after the last store once its chunks are old enough to be touched. */
    static final Duration SETTLE = Duration.ofSeconds(60);

    /** Where a pass gets its connection: one that no commit runs beside while it is open. */
    @FunctionalInterface
    interface Connections {
        Connection open() throws SQLException;
    }

    private final Connections connections;
    private long versionAfterPass = -1;
    private long storedAt;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("stoker-h2-housekeeping").factory());

    H2Housekeeping(Connections connections) {
        this.connections = connections;
    }

    H2Housekeeping start() {
        timer.scheduleWithFixedDelay(this::passQuietly, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void passQuietly() {
        try {
            pass();
        } catch (SQLException | RuntimeException e) {
            // the next pass tries again; the data is unaffected (a pass only copies live pages)
            LOG.warn("H2 housekeeping failed: {}", e.getMessage());
        }
    }

    /**
     * One pass. Passes pause once nothing else was stored for {@link #SETTLE} beyond H2's retention time (chunks are
     * not touched before they are that old, and then a few passes clear them); the next commit starts them again.
     */
    void pass() throws SQLException {
        try (Connection c = connections.open()) {
            MVStore store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                    .getMvStore();
            if (store.isClosed()) return;
            long now = System.nanoTime();
            long version = store.getCurrentVersion();
            if (version != versionAfterPass) storedAt = now;
            else if (now - storedAt > TimeUnit.MILLISECONDS.toNanos(store.getRetentionTime()) + SETTLE.toNanos()) return;
            boolean rewrote = store.compact(FILL_RATE, REWRITE_BYTES);
            versionAfterPass = store.getCurrentVersion();
            if (rewrote && LOG.isDebugEnabled()) {
                FileStore<?> file = store.getFileStore();
                LOG.debug("H2 chunks rewritten in {} ms: file {} bytes, chunks {}% full", (System.nanoTime() - now) / 1_000_000,
                        file.size(), file.getChunksFillRate());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
