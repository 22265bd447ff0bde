package io.stoker.server.db;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The two databases the server stores in, and the few pieces of SQL that differ between them: the upsert (H2's
 * {@code MERGE … KEY}, PostgreSQL's {@code INSERT … ON CONFLICT}), a time from the database's clock and bit
 * operations. Everything
 * else the repositories write is SQL both run.
 */
public enum Dialect {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The class-path folder of this database's own migrations, beside the common {@code db/migration}. */
    public String migrations() {
        return "db/vendor/" + folder;
    }

    /**
     * Inserts a row, or replaces the non-key columns of the row with the same key: one statement, atomic, with
     * one {@code ?} per column in the order given.
     *
     * @param columns every column written, comma separated
     * @param key     the columns of the primary or a unique key, comma separated
     */
    public String upsert(String table, String columns, String key) {
        List<String> cols = split(columns);
        List<String> keys = split(key);
        String marks = cols.stream().map(c -> "?").collect(Collectors.joining(", "));
        String list = String.join(", ", cols);
        return switch (this) {
            case H2 -> "MERGE INTO " + table + " (" + list + ") KEY (" + String.join(", ", keys) + ") VALUES (" + marks + ")";
            case POSTGRESQL -> {
                List<String> rest = cols.stream().filter(c -> !keys.contains(c)).toList();
                String action = rest.isEmpty() ? "NOTHING"
                        : "UPDATE SET " + rest.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
                yield "INSERT INTO " + table + " (" + list + ") VALUES (" + marks + ") ON CONFLICT ("
                        + String.join(", ", keys) + ") DO " + action;
            }
        };
    }

    /**
     * The database's own clock plus a span given as one {@code ?} (seconds, a double): the time leases are written and
     * compared in, so servers whose clocks disagree still agree on when a lease runs out.
     */
    public String nowPlusSeconds() {
        return switch (this) {
            case H2 -> "DATEADD(MILLISECOND, CAST(? * 1000 AS BIGINT), CURRENT_TIMESTAMP)";
            case POSTGRESQL -> "(CURRENT_TIMESTAMP + make_interval(secs => ?))";
        };
    }

    /** {@code column} with the bits of one {@code ?} (an integer) set: H2 has a function, PostgreSQL an operator. */
    public String bitOr(String column) {
        return switch (this) {
            case H2 -> "BITOR(" + column + ", CAST(? AS INTEGER))";
            case POSTGRESQL -> "(" + column + " | ?)";
        };
    }

    /** The bits {@code column} shares with one {@code ?} (an integer). */
    public String bitAnd(String column) {
        return switch (this) {
            case H2 -> "BITAND(" + column + ", CAST(? AS INTEGER))";
            case POSTGRESQL -> "(" + column + " & ?)";
        };
    }

    private static List<String> split(String names) {
        return Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
