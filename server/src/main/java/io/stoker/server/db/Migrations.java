package io.stoker.server.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

import javax.sql.DataSource;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Brings a database to the schema this server ships ({@code db/migration} plus the dialect's own folder), and
 * refuses one a newer server has migrated further: Flyway by default ignores such "future" migrations, and this
 * server would then read and write tables whose meaning it does not know.
 */
final class Migrations {
    private Migrations() {
    }

    static void migrate(DataSource direct, Dialect dialect) {
        Flyway flyway = Flyway.configure().dataSource(direct)
                .locations("classpath:db/migration", dialect.migrations())
                .load();
        refuseNewer(flyway.info().all());
        flyway.migrate();
    }

    /** Throws when an applied migration is above every migration this server knows. */
    static void refuseNewer(MigrationInfo[] all) {
        Optional<MigrationVersion> newest = versions(all, true).max(Comparator.naturalOrder());
        if (newest.isEmpty()) return;
        MigrationVersion known = versions(all, false).max(Comparator.naturalOrder()).orElse(MigrationVersion.EMPTY);
        throw new SchemaTooNewException(newest.get().getVersion(), known.getVersion());
    }

    private static java.util.stream.Stream<MigrationVersion> versions(MigrationInfo[] all, boolean future) {
        return Arrays.stream(all)
                .filter(i -> isFuture(i.getState()) == future)
                .map(MigrationInfo::getVersion)
                .filter(Objects::nonNull);
    }

    private static boolean isFuture(MigrationState state) {
        return state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED;
    }

    /** The database was migrated by a newer Stoker; the message is the one sentence the operator sees. */
    public static final class SchemaTooNewException extends IllegalStateException {
        SchemaTooNewException(String found, String known) {
            super("the database schema is at version " + found + ", newer than this Stoker knows (up to " + known
                    + "): start the Stoker release that migrated it, or a newer one");
        }
    }
}
