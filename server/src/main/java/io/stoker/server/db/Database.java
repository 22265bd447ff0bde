package io.stoker.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import com.zaxxer.hikari.pool.HikariPool;
import io.stoker.store.postgres.PostgresStore;
import io.stoker.store.postgres.PostgresUrl;
import org.h2.jdbcx.JdbcDataSource;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The server's store: the embedded H2 file database under {@code <data>/db} (the default), or a PostgreSQL
 * database ({@code --db postgresql://…}); pooled by HikariCP, migrated by Flyway on open (see
 * {@link Migrations}), every pooled session with a {@link #STATEMENT_TIMEOUT}.
 *
 * <p>On H2 ({@code WRITE_DELAY=0}) a commit stores the change as a new chunk of the database file before it returns,
 * so a {@code kill -9} after the answer loses nothing. One connection is in use at a time, so no commit waits on
 * another session's store. No {@code CHECKPOINT} runs while the server runs: it would compact the file on every call
 * for nothing. The H2 version is pinned (see the root pom): 2.5.252 named the wrong chunk in the file's header once
 * the file reused freed space, and a {@code kill -9} then lost up to 20 acknowledged commits ({@code H2DurabilitySpec},
 * {@code CrashRecoverySpec}); 2.3.232 has a narrower window of the same kind, closed by writing the file through
 * {@link HeaderFirstChannel} ({@code jdbc:h2:headerfirst:…}). {@link H2Housekeeping} rewrites the chunks that are mostly dead while the server runs,
 * which H2's own background thread would do with a write delay; H2 compacts the file when the database closes.
 * PostgreSQL's commit is durable by itself.
 *
 * <p>H2 closes its database for good when a write to its file fails (a full disk), and the pooled connections keep
 * pointing at the closed one: every use then failed until a restart. A new connection opens the database again from
 * its file (H2 recovers to its last complete chunk), so such a failure ({@link StoreFailure}, seen by the pool on
 * every statement) retires the pool's connections, and {@link #health()} says why until a write goes through.
 */
public final class Database implements AutoCloseable {
    /** Longest a statement may run before it fails: a query stuck on a lock must not hold a worker forever. */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_CONNECTIONS = 16;
    /**
     * Parsed statements H2 keeps per session (its default, 8, is fewer than one run's life uses: a trigger's statements
     * were parsed again on every trigger, ~0.4 ms of its ~1.5 ms in the database).
     */
    private static final int QUERY_CACHE_SIZE = 64;
    /**
     * How long H2 keeps a large object a query returned, for a reader that has not read it yet. Its default, 5 minutes,
     * kept every CLOB read in that time: after 1,000 runs and 5 minutes of the runs list read twice a second, 580,000
     * of them (~70 MB of heap) while rows still held the model; 3,900 without it, 660 with 1 s. The store reads each
     * value at once, within its result.
     */
    private static final int LOB_TIMEOUT_MILLIS = 1000;
    /**
     * CLOBs up to this many bytes stay in their row instead of H2's LOB storage, where each one written cost entries in
     * three more maps and each one read a copy: 1,000 queued runs were accepted at 151–203/s before, 208–237/s after.
     */
    private static final int INPLACE_LOB_BYTES = 64 * 1024;

    /** The name of the row {@link StoreHealth}'s probe writes (a row of its own in a table keyed by name). */
    private static final String PROBE_ROW = "store-probe";

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final StoreHealth health = new StoreHealth(this::probe);
    private H2Housekeeping housekeeping;
    private boolean closed;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /** Opens (creating and migrating) the H2 database of a data directory. */
    public static Database open(Path dataDir) {
        return open(dataDir, null);
    }

    /**
     * Opens and migrates the database {@code url} names ({@code postgresql://user@host:5432/db}), or the H2 file
     * under {@code dataDir} when it is null.
     */
    public static Database open(Path dataDir, String url) {
        return open(dataDir, url, true);
    }

    /**
     * Opens and migrates the PostgreSQL database {@code url} names without naming it in the data directory yet: a
     * store move ({@code io.stoker.server.storemove}) does that with {@link #notePostgres} once its rows are in.
     */
    public static Database openPostgresUnnoted(Path dataDir, String url) {
        return open(dataDir, java.util.Objects.requireNonNull(url, "url"), false);
    }

    /** Names the PostgreSQL database {@code url} in the data directory, as a server's start on it does. */
    public static void notePostgres(Path dataDir, String url) {
        StoreMarker.recordPostgres(dataDir, PostgresUrl.parse(url).toString());
    }

    private static Database open(Path dataDir, String url, boolean note) {
        if (url == null) StoreMarker.checkH2(dataDir);
        PostgresUrl postgres = url == null ? null : PostgresUrl.parse(url);
        Database db = postgres == null ? openH2(dataDir) : openPostgres(postgres);
        try {
            Migrations.migrate(db.direct(dataDir, url), db.dialect);
            if (postgres != null && note) StoreMarker.recordPostgres(dataDir, postgres.toString());
            if (db.dialect == Dialect.H2) db.housekeeping = new H2Housekeeping(db::connection).start();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Database openH2(Path dataDir) {
        try {
            // H2 would make it with the umask's mode: the store holds password hashes and the audit log
            io.stoker.engine.files.PrivateDirectory.create(dataDir.resolve("db"));
        } catch (IOException e) {
            throw new CannotOpenException("cannot make the database's directory " + dataDir.resolve("db") + ": "
                    + e.getMessage(), e);
        }
        HikariConfig c = new HikariConfig();
        c.setPoolName("stoker-h2");
        c.setJdbcUrl(h2Url(dataDir));
        c.setUsername("stoker");
        c.setPassword("");
        c.setMaximumPoolSize(MAX_CONNECTIONS);
        c.setMinimumIdle(2);
        c.setMaxLifetime(0); // an embedded database: nothing between us and it retires connections
        c.setConnectionInitSql("SET QUERY_TIMEOUT " + STATEMENT_TIMEOUT.toMillis());
        ReopenAfterFailure reopen = new ReopenAfterFailure();
        c.setExceptionOverride(reopen);
        try {
            Database db = new Database(new HikariDataSource(c), Dialect.H2);
            reopen.db = db;
            return db;
        } catch (HikariPool.PoolInitializationException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new CannotOpenException("cannot open the database in " + dataDir.resolve("db") + ": "
                    + root.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static Database openPostgres(PostgresUrl url) {
        try {
            return new Database(PostgresStore.pool(url, new PostgresStore.Settings(MAX_CONNECTIONS, STATEMENT_TIMEOUT,
                    Duration.ofSeconds(10))), Dialect.POSTGRESQL);
        } catch (IllegalStateException e) {
            throw new CannotOpenException(e.getMessage(), e);
        }
    }

    /**
     * The database cannot be reached or opened; the message is the operator's sentence (which database, and why),
     * to be shown as it is rather than the driver's bare cause ("Connection refused") underneath.
     */
    public static final class CannotOpenException extends IllegalStateException {
        CannotOpenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Sees every SQLException of the H2 pool's connections: one of the store ({@link StoreFailure}) marks them all to
     * be closed (the one in use when it is given back), so the next connection opens the database again. Hikari's own
     * eviction of the one connection would log each as broken with a stack trace, and leave the idle ones.
     */
    private static final class ReopenAfterFailure implements SQLExceptionOverride {
        private volatile Database db;

        @java.lang.Override // the interface's own member type is named Override too
        public SQLExceptionOverride.Override adjudicate(SQLException e) {
            Database d = db;
            if (d != null) {
                StoreFailure.reason(e).ifPresent(reason -> {
                    d.health.failed(reason);
                    d.pool.getHikariPoolMXBean().softEvictConnections();
                });
            }
            return SQLExceptionOverride.Override.CONTINUE_EVICT;
        }
    }

    /** Whether the store can be written; on PostgreSQL always (the database server stays up by itself). */
    public StoreHealth health() {
        return health;
    }

    /** {@link StoreHealth}'s probe: a write of one small row, which goes through only when the store can be written. */
    private void probe() throws SQLException {
        try (Connection c = connection();
             java.sql.PreparedStatement s = c.prepareStatement(dialect.upsert("trigger_ticks", "name, last_tick", "name"))) {
            s.setString(1, PROBE_ROW);
            s.setObject(2, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
            s.executeUpdate();
        }
    }

    /** The JDBC URL of the H2 database of a data directory (package-private for H2DurabilitySpec). */
    static String h2Url(Path dataDir) {
        HeaderFirstPath.register();
        return "jdbc:h2:" + HeaderFirstPath.SCHEME + ":" + dataDir.resolve("db").resolve("stoker").toAbsolutePath()
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=" + QUERY_CACHE_SIZE
                + ";LOB_TIMEOUT=" + LOB_TIMEOUT_MILLIS + ";MAX_LENGTH_INPLACE_LOB=" + INPLACE_LOB_BYTES;
    }

    /** A data source without the statement timeout, for migrations. */
    private javax.sql.DataSource direct(Path dataDir, String url) {
        if (dialect == Dialect.POSTGRESQL) return PostgresStore.direct(PostgresUrl.parse(url));
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(h2Url(dataDir));
        ds.setUser("stoker");
        ds.setPassword("");
        return ds;
    }

    /** Which database this is: the few statements that differ ask it ({@link Dialect#upsert}). */
    public Dialect dialect() {
        return dialect;
    }

    /** A pooled connection; on H2 the only one in use until it is closed. */
    public Connection connection() throws SQLException {
        if (dialect != Dialect.H2) return pool.getConnection();
        // One H2 connection in use at a time (a thread may nest its own): each commit then stores the file itself,
        // never waiting on another session's store. Each use is short; the lock is released when it is closed.
        H2_IN_USE.lock();
        try {
            return ExclusiveConnection.wrap(pool.getConnection(), H2_IN_USE::unlock);
        } catch (SQLException | RuntimeException e) {
            H2_IN_USE.unlock();
            throw e;
        }
    }

    private static final java.util.concurrent.locks.ReentrantLock H2_IN_USE = new java.util.concurrent.locks.ReentrantLock();

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                c.setAutoCommit(true);
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                c.setAutoCommit(true);
                throw e;
            }
        }
    }

    /** Work on one connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    @Override
    public synchronized void close() {
        if (closed) return; // a failed open closes, and its caller's cleanup may close again
        closed = true;
        if (housekeeping != null) housekeeping.close();
        // H2 closes the database (compacting the file for up to 200 ms) when the pool closes its last connection
        pool.close();
    }
}
