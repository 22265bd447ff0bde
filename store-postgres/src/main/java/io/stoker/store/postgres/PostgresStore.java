package io.stoker.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Connections to the server's PostgreSQL database: a HikariCP pool whose every session has a statement timeout
 * (a query stuck on a lock fails instead of holding a worker thread forever), and a plain data source without one
 * for Flyway, whose migrations may rightly take longer.
 */
public final class PostgresStore {
    private PostgresStore() {
    }

    /**
     * @param maxConnections   pool size
     * @param statementTimeout longest a statement may run on a pooled connection
     * @param connectTimeout   longest to wait for the server (and for a free pooled connection)
     */
    public record Settings(int maxConnections, Duration statementTimeout, Duration connectTimeout) {
    }

    /** Opens the pool; fails at once (one sentence, no password) when the database does not answer. */
    public static HikariDataSource pool(PostgresUrl url, Settings settings) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("stoker-postgresql");
        c.setJdbcUrl(url.jdbcUrl());
        c.setUsername(url.user());
        if (url.password() != null) c.setPassword(url.password());
        c.setMaximumPoolSize(settings.maxConnections());
        c.setMinimumIdle(Math.min(2, settings.maxConnections()));
        c.setConnectionTimeout(settings.connectTimeout().toMillis());
        c.setInitializationFailTimeout(settings.connectTimeout().toMillis());
        c.setConnectionInitSql("SET statement_timeout = " + settings.statementTimeout().toMillis());
        c.addDataSourceProperty("ApplicationName", "stoker");
        c.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, settings.connectTimeout().toSeconds())));
        c.addDataSourceProperty("tcpKeepAlive", "true");
        try {
            return new HikariDataSource(c);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            // the server's own words come as "FATAL: database "x" does not exist": the severity says nothing here
            String why = String.valueOf(root.getMessage()).replaceFirst("^FATAL: ", "");
            throw new IllegalStateException("cannot connect to PostgreSQL at " + url + ": " + why, e);
        }
    }

    /** One connection at a time, no statement timeout: for migrations. */
    public static DataSource direct(PostgresUrl url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url.jdbcUrl());
        ds.setUser(url.user());
        if (url.password() != null) ds.setPassword(url.password());
        ds.setApplicationName("stoker-migrate");
        return ds;
    }
}
