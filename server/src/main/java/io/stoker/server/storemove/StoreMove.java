package io.stoker.server.storemove;

import io.stoker.server.db.Database;
import io.stoker.store.postgres.PostgresUrl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves the H2 store of a stopped server's data directory into an empty PostgreSQL database, so an installation that
 * began on the default can grow into a cluster without losing its projects, runs, users, tokens, secrets or history.
 * <p>
 * Both databases are opened (and so migrated) by this release. Every table's rows go over in one PostgreSQL
 * transaction, parents before children, with their keys; each table's count is compared before the commit. Only then
 * is the data directory noted as PostgreSQL's (the {@code store} file a server started without {@code --db} reads)
 * and the H2 file renamed to {@code stoker.mv.db.moved}, kept for a way back. A refusal or a failure commits nothing
 * and leaves the H2 store as it was. The data directory itself (logs, artifacts, keys, mirrors) stays where it is:
 * the secrets in the database are sealed with its {@code master.key}.
 */
public final class StoreMove {
    /** The name the H2 file is set aside under. */
    public static final String SET_ASIDE = "stoker.mv.db.moved";
    private static final int SHOWN_TABLES = 4;

    private StoreMove() {
    }

    public static Moved move(Path dataDir, String postgresUrl) {
        String shown = shown(postgresUrl);
        Path h2 = dataDir.resolve("db").resolve("stoker.mv.db");
        if (!Files.isRegularFile(h2)) {
            throw new MoveRefused("there is no H2 store to move in " + dataDir.toAbsolutePath() + " (no "
                    + h2.toAbsolutePath() + ")");
        }
        Map<String, Long> rows;
        try (Database source = openSource(dataDir);
             Database target = openTarget(dataDir, postgresUrl, shown)) {
            rows = copy(source, target, shown);
        } catch (SQLException e) {
            throw MoveRefused.unavailable("the move into " + shown + " failed and nothing was committed: " + e.getMessage(), e);
        }
        Database.notePostgres(dataDir, postgresUrl);
        Path aside = h2.resolveSibling(SET_ASIDE);
        try {
            Files.move(h2, aside);
        } catch (IOException e) {
            throw new MoveRefused("the rows are in " + shown + ", but " + h2.toAbsolutePath() + " could not be renamed ("
                    + e.getMessage() + "): remove it before a server starts on " + dataDir.toAbsolutePath(), e);
        }
        return new Moved(shown, rows, aside);
    }

    private static Database openSource(Path dataDir) {
        try {
            return Database.open(dataDir);
        } catch (RuntimeException e) {
            if (locked(e)) {
                throw new MoveRefused("the H2 store in " + dataDir.toAbsolutePath() + " is in use by a running Stoker"
                        + " server (its database is locked); stop that server first", e);
            }
            throw new MoveRefused("cannot open the H2 store in " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static Database openTarget(Path dataDir, String url, String shown) {
        try {
            return Database.openPostgresUnnoted(dataDir, url);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? "cannot open " + shown : e.getMessage();
            throw e instanceof Database.CannotOpenException ? MoveRefused.unavailable(why, e) : new MoveRefused(why, e);
        }
    }

    private static Map<String, Long> copy(Database source, Database target, String shown) throws SQLException {
        try (Connection from = source.connection(); Connection to = target.connection()) {
            List<Table> tables = Tables.inCopyOrder(to, from);
            refuseUnlessEmpty(to, tables, shown);
            to.setAutoCommit(false);
            try {
                Map<String, Long> rows = new LinkedHashMap<>();
                for (Table t : tables) rows.put(t.name(), TableCopy.copy(t, from, to));
                for (Table t : tables) {
                    long there = count(to, TableCopy.quote(t.name()));
                    long here = count(from, TableCopy.quote(t.sourceName()));
                    if (there != here || there != rows.get(t.name())) {
                        throw new SQLException("table " + t.name() + " holds " + here + " rows in H2 but " + there
                                + " in PostgreSQL after the copy");
                    }
                }
                to.commit();
                return rows;
            } catch (SQLException | RuntimeException e) {
                to.rollback();
                throw e;
            } finally {
                to.setAutoCommit(true);
            }
        }
    }

    /** A database a server has used already is not written over: it would mix two installations' keys and numbers. */
    private static void refuseUnlessEmpty(Connection to, List<Table> tables, String shown) throws SQLException {
        List<String> used = new ArrayList<>();
        for (Table t : tables) {
            long n = count(to, TableCopy.quote(t.name()));
            if (n > 0) used.add(t.name() + " " + n);
        }
        if (used.isEmpty()) return;
        String listed = String.join(", ", used.subList(0, Math.min(SHOWN_TABLES, used.size())))
                + (used.size() > SHOWN_TABLES ? ", …" : "");
        throw new MoveRefused(shown + " holds a store already (" + listed + " rows): move into a new, empty database"
                + " (createdb --owner USER NAME)");
    }

    private static long count(Connection c, String quotedTable) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + quotedTable);
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private static boolean locked(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == 90020) return true;
            if (String.valueOf(t.getMessage()).contains("file is locked")) return true;
        }
        return false;
    }

    private static String shown(String url) {
        try {
            return PostgresUrl.parse(url).toString();
        } catch (IllegalArgumentException e) {
            throw new MoveRefused(e.getMessage(), e);
        }
    }
}
