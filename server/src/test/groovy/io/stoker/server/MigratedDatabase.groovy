package io.stoker.server

import io.stoker.server.db.Database

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

/**
 * An H2 database migrated once per spec JVM, copied into a spec's data directory before its server first starts
 * there: the server then finds its schema up to date and skips Flyway, which cost about a tenth of a server spec
 * JVM's CPU when every spec migrated a new database. {@link ServerJvm} and {@link ServerProcess} copy it too, into a
 * data directory without a database of its own: a server JVM of their own then starts on 4.8 s of CPU instead of 7.9
 * (C1, no class-data archive, measured 2026-11-30 on the suite's 2-core machine). The migrations' own specs (the
 * {@code db} package's) begin from empty databases; in-process servers a spec starts itself take a copy through
 * {@link #into}, and the store and trigger fixtures through {@link #copyInto} (one migration of an H2 store costs a
 * warm spec JVM ~0.3–1 s on a quiet machine: the server module's specs took 1,123 s of fork time with this against
 * 1,223 without, full runs of 2026-11-30).
 * {@link MigratedPostgres} is the same for PostgreSQL.
 */
final class MigratedDatabase {
    private static Path template

    private MigratedDatabase() {
    }

    /**
     * The config as given, its data directory holding a migrated database first when it has none and the config names
     * no other database: a spec that starts servers of its own starts them as {@code StokerServer.start(into(config))}.
     */
    static ServerConfig into(ServerConfig config) {
        if (config.db() == null && config.dataDir() != null) copyInto(config.dataDir())
        config
    }

    /** Puts a migrated, empty database into {@code dataDir}; a data directory that holds one already is left alone. */
    static synchronized void copyInto(Path dataDir) {
        Path target = dataDir.resolve('db')
        if (Files.exists(target)) return
        if (template == null) {
            Path made = Files.createTempDirectory('stoker-migrated-')
            Database.open(made, null).close()
            Runtime.runtime.addShutdownHook(new Thread({ made.toFile().deleteDir() }))
            template = made.resolve('db')
        }
        Files.createDirectories(target)
        Files.list(template).withCloseable { files ->
            files.forEach { Files.copy(it, target.resolve(it.fileName.toString()), StandardCopyOption.COPY_ATTRIBUTES) }
        }
    }
}
