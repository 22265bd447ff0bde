package io.stoker.server.storemove;

import java.nio.file.Path;
import java.util.Map;

/**
 * A finished store move: the database the rows went to (shown without its password), the rows of each table in the
 * order they were copied, and where the H2 file was set aside.
 */
public record Moved(String database, Map<String, Long> rows, Path setAside) {
    public Moved {
        rows = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rows));
    }

    public long total() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }
}
