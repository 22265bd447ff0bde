package io.stoker.server.storemove;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tables to move, read from both databases' catalogs and matched by name (H2 keeps unquoted names upper-case,
 * PostgreSQL lower-case), in an order where every table comes after the tables its foreign keys point to. Flyway's
 * history is not moved: each side keeps the one its own migrations wrote.
 */
final class Tables {
    static final String HISTORY = "flyway_schema_history";

    private Tables() {
    }

    /** The tables of the PostgreSQL schema in use, each matched with H2's, parents before children. */
    static List<Table> inCopyOrder(Connection target, Connection source) throws SQLException {
        Map<String, String> sourceTables = names(source, source.getSchema());
        Map<String, Table> tables = new TreeMap<>();
        for (String name : names(target, target.getSchema()).values()) {
            String inSource = sourceTables.remove(name.toLowerCase(Locale.ROOT));
            if (inSource == null) {
                throw new MoveRefused("the H2 store has no table '" + name + "' that PostgreSQL has: the two were not"
                        + " migrated by the same release of Stoker");
            }
            tables.put(name, new Table(name, inSource, columns(target, source, name, inSource), references(target, name)));
        }
        if (!sourceTables.isEmpty()) {
            throw new MoveRefused("the H2 store has tables PostgreSQL has not (" + String.join(", ", sourceTables.keySet())
                    + "): the two were not migrated by the same release of Stoker");
        }
        return ordered(tables);
    }

    /** Base tables of a schema but Flyway's history, by lower-cased name. */
    private static Map<String, String> names(Connection c, String schema) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (ResultSet r = c.getMetaData().getTables(null, schema, "%", new String[]{"TABLE", "BASE TABLE"})) {
            while (r.next()) {
                String name = r.getString("TABLE_NAME");
                if (!name.equalsIgnoreCase(HISTORY)) out.put(name.toLowerCase(Locale.ROOT), name);
            }
        }
        return out;
    }

    private static List<Column> columns(Connection target, Connection source, String table, String sourceTable)
            throws SQLException {
        Map<String, String> sourceColumns = new TreeMap<>();
        try (ResultSet r = source.getMetaData().getColumns(null, source.getSchema(), sourceTable, "%")) {
            while (r.next()) {
                // the table name is a pattern, in which '_' matches any character: keep the table's own columns
                if (!r.getString("TABLE_NAME").equals(sourceTable)) continue;
                sourceColumns.put(r.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), r.getString("COLUMN_NAME"));
            }
        }
        Set<String> generated = generated(target, table);
        List<Column> out = new ArrayList<>();
        try (ResultSet r = target.getMetaData().getColumns(null, target.getSchema(), table, "%")) {
            while (r.next()) {
                if (!r.getString("TABLE_NAME").equals(table)) continue;
                String name = r.getString("COLUMN_NAME");
                String inSource = sourceColumns.remove(name.toLowerCase(Locale.ROOT));
                if (inSource == null) {
                    throw new MoveRefused("the H2 store's table '" + table + "' has no column '" + name + "' that"
                            + " PostgreSQL has: the two were not migrated by the same release of Stoker");
                }
                out.add(new Column(name, inSource, r.getInt("DATA_TYPE"), r.getString("TYPE_NAME"), generated.contains(name)));
            }
        }
        if (!sourceColumns.isEmpty()) {
            throw new MoveRefused("the H2 store's table '" + table + "' has columns PostgreSQL has not ("
                    + String.join(", ", sourceColumns.keySet()) + ")");
        }
        return out;
    }

    /** The columns PostgreSQL fills itself: identities and serials, whose sequences must be set past the copied keys. */
    private static Set<String> generated(Connection target, String table) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement s = target.prepareStatement("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ?"
                + " AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) out.add(r.getString(1));
            }
        }
        return out;
    }

    private static Set<String> references(Connection target, String table) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        DatabaseMetaData meta = target.getMetaData();
        try (ResultSet r = meta.getImportedKeys(null, target.getSchema(), table)) {
            while (r.next()) {
                String parent = r.getString("PKTABLE_NAME");
                if (!parent.equals(table)) out.add(parent);
            }
        }
        return out;
    }

    /** Parents first (Kahn's order, by name among equals, so a move is repeatable); a cycle cannot be ordered. */
    private static List<Table> ordered(Map<String, Table> tables) {
        List<Table> out = new ArrayList<>();
        Map<String, Table> left = new LinkedHashMap<>(tables);
        while (!left.isEmpty()) {
            Table next = left.values().stream()
                    .filter(t -> t.references().stream().noneMatch(left::containsKey))
                    .findFirst()
                    .orElseThrow(() -> new MoveRefused("the tables " + String.join(", ", left.keySet())
                            + " refer to each other in a cycle; they cannot be copied one after another"));
            out.add(next);
            left.remove(next.name());
        }
        return out;
    }
}
