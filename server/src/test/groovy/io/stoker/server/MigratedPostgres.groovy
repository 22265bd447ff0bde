package io.stoker.server

import io.stoker.server.db.Database
import io.stoker.store.postgres.TestPostgres

import java.nio.file.Files

/**
 * A PostgreSQL database of a spec's own, already migrated: a copy of a template database migrated once per spec JVM
 * (and dropped as it exits). A cluster spec's servers then find their schema up to date and skip Flyway, as
 * {@link MigratedDatabase} does for H2. The PostgreSQL migrations' own specs start from empty databases.
 */
final class MigratedPostgres {
    private static TestPostgres template

    private MigratedPostgres() {
    }

    /** A new, migrated, empty database; {@link TestPostgres#close} drops it as it drops any. */
    static synchronized TestPostgres create() {
        if (template == null) {
            TestPostgres made = TestPostgres.create()
            def scratch = Files.createTempDirectory('stoker-migrated-postgres-')
            try {
                Database.openPostgresUnnoted(scratch, made.dbUrl()).close()
            } catch (RuntimeException e) {
                made.close()
                throw e
            } finally {
                scratch.toFile().deleteDir()
            }
            Runtime.runtime.addShutdownHook(new Thread({ made.close() }))
            template = made
        }
        TestPostgres.copyOf(template)
    }
}
