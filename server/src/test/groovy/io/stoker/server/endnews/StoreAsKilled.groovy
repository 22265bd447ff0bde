package io.stoker.server.endnews

import io.stoker.server.db.Database

import java.nio.file.Path

/**
 * A stopped server's H2 store put as a {@code kill -9} at one moment would have left it, for the moments that last
 * a few milliseconds (between a run's news being saved and its tellers queueing their messages).
 */
class StoreAsKilled {
    /**
     * Runs each statement, whose one parameter is the run's key, on the store of the data directory {@code data},
     * asserting how many rows it changed.
     */
    static void edit(Path data, String key, Map<String, Integer> statements) {
        Database db = Database.open(data, null)
        try {
            db.connection().withCloseable { c ->
                statements.each { sql, rows ->
                    c.prepareStatement(sql).withCloseable {
                        it.setString(1, key)
                        assert it.executeUpdate() == rows
                    }
                }
            }
        } finally {
            db.close()
        }
    }
}
