package io.stoker.server.storemove;

import java.util.List;

/** A table being moved: its name in PostgreSQL and in H2, its columns, and the tables its foreign keys point to. */
record Table(String name, String sourceName, List<Column> columns, java.util.Set<String> references) {
    Table {
        columns = List.copyOf(columns);
        references = java.util.Set.copyOf(references);
    }

    boolean hasGeneratedColumn() {
        return columns.stream().anyMatch(Column::generated);
    }
}
