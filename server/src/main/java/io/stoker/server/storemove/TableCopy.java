package io.stoker.server.storemove;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Copies one table's rows from H2 into PostgreSQL on connections the caller owns (the target's in a transaction), in
 * batches, with the keys H2 gave them; then sets the table's sequences past the largest copied key, so the next row
 * PostgreSQL numbers itself does not collide.
 */
final class TableCopy {
    private static final int BATCH = 500;

    private TableCopy() {
    }

    /** The rows copied. */
    static long copy(Table table, Connection source, Connection target) throws SQLException {
        List<Column> columns = table.columns();
        String select = "SELECT " + columns.stream().map(c -> quote(c.sourceName())).collect(Collectors.joining(", "))
                + " FROM " + quote(table.sourceName());
        String insert = "INSERT INTO " + quote(table.name()) + " ("
                + columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")) + ")"
                // an identity GENERATED ALWAYS takes the copied key only when told to
                + (table.hasGeneratedColumn() ? " OVERRIDING SYSTEM VALUE" : "")
                + " VALUES (" + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        long rows = 0;
        try (Statement read = source.createStatement();
             PreparedStatement write = target.prepareStatement(insert)) {
            read.setFetchSize(BATCH);
            try (ResultSet r = read.executeQuery(select)) {
                while (r.next()) {
                    for (int i = 0; i < columns.size(); i++) bind(write, i + 1, columns.get(i), r.getObject(i + 1));
                    write.addBatch();
                    if (++rows % BATCH == 0) write.executeBatch();
                }
            }
            if (rows % BATCH != 0) write.executeBatch();
        }
        for (Column c : columns) {
            if (c.generated()) restartAfterCopied(table, c, target);
        }
        return rows;
    }

    private static void bind(PreparedStatement s, int index, Column column, Object value) throws SQLException {
        if (value == null) {
            s.setNull(index, column.sqlType());
            return;
        }
        Object plain = switch (value) {
            case Clob clob -> read(clob);
            case Blob blob -> read(blob);
            default -> value;
        };
        if (column.sqlType() == Types.OTHER || column.typeName().startsWith("json")) {
            s.setObject(index, plain.toString(), Types.OTHER); // json, jsonb, uuid: PostgreSQL casts the text
        } else {
            s.setObject(index, plain);
        }
    }

    private static String read(Clob clob) throws SQLException {
        try (Reader in = clob.getCharacterStream()) {
            StringBuilder out = new StringBuilder();
            char[] buffer = new char[8192];
            for (int n; (n = in.read(buffer)) > 0; ) out.append(buffer, 0, n);
            return out.toString();
        } catch (IOException e) {
            throw new SQLException("cannot read a text value: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Blob blob) throws SQLException {
        try (InputStream in = blob.getBinaryStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SQLException("cannot read a binary value: " + e.getMessage(), e);
        }
    }

    private static void restartAfterCopied(Table table, Column column, Connection target) throws SQLException {
        try (PreparedStatement s = target.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?),"
                + " COALESCE((SELECT MAX(" + quote(column.name()) + ") FROM " + quote(table.name()) + "), 0) + 1, false)")) {
            s.setString(1, quote(table.name()));
            s.setString(2, column.name());
            s.executeQuery().close();
        }
    }

    /** A name as the catalog spells it, quoted: H2's upper-case and any name that is a keyword of either database. */
    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
