package io.stoker.server.db

import java.nio.file.Path

/** A stopped server's database, opened directly, as an earlier version's code would write to it. */
final class ClosedDatabase {
    private ClosedDatabase() {
    }

    /** Runs {@code work} on a connection to the database of {@code dataDir} (or of {@code dbUrl}, PostgreSQL). */
    static <T> T sql(Path dataDir, String dbUrl, Closure<T> work) {
        Database db = Database.open(dataDir, dbUrl)
        try {
            db.connection().withCloseable { work(it) }
        } finally {
            db.close()
        }
    }
}
