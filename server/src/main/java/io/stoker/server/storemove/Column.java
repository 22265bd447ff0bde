package io.stoker.server.storemove;

/**
 * A column of a table being moved: its name in PostgreSQL and in H2 (which upper-cases unquoted names), its
 * PostgreSQL type ({@link java.sql.Types} and the type's name), and whether PostgreSQL generates its values.
 */
record Column(String name, String sourceName, int sqlType, String typeName, boolean generated) {
}
