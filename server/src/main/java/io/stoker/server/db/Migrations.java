package io.stoker.server.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Brings a database to the schema this server ships ({@code db/migration} plus the dialect's own folder), and
 * refuses one a newer server has migrated further: Flyway by default ignores such "future" migrations, and this
 * server would then read and write tables whose meaning it does not know.
 *
 * <p>A database that has applied, successfully, exactly the versions this server carries is left alone without
 * starting Flyway: on two cores Flyway's configuration, scan and two passes took ~0.5 s of every start and left ~400
 * classes loaded for good. That quick check compares versions only; Flyway's comparison of each applied file's
 * checksum with the shipped one (which notices a migration edited after it ran) happens whenever a migration is due.
 */
final class Migrations {
    static final String COMMON = "db/migration";
    /** Rows Flyway writes about itself (it created the history table, or the schema), not migrations. */
    private static final Set<String> BOOKKEEPING = Set.of("TABLE", "SCHEMA");
    /** Flyway's history table. */
    private static final String HISTORY = "flyway_schema_history";

    private Migrations() {
    }

    static void migrate(DataSource direct, Dialect dialect) {
        List<String> folders = List.of(COMMON, dialect.migrations());
        if (upToDate(direct, folders)) return;
        refuseForeign(direct);
        Flyway flyway = Flyway.configure().dataSource(direct)
                .locations(folders.stream().map(f -> "classpath:" + f).toArray(String[]::new))
                .load();
        MigrationInfo[] all = flyway.info().all();
        refuseNewer(all);
        refuseFailed(all);
        flyway.migrate();
    }

    /** True when the database's applied migrations are, all successful, exactly the versions shipped in {@code folders}. */
    static boolean upToDate(DataSource direct, List<String> folders) {
        Optional<Set<String>> shipped = ShippedMigrations.versions(Migrations.class.getClassLoader(), folders);
        if (shipped.isEmpty() || shipped.get().isEmpty()) return false;
        return applied(direct).map(shipped.get()::equals).orElse(false);
    }

    /**
     * The versions recorded in Flyway's history table, or empty when there is none yet (a new database) or a row that
     * is neither Flyway's own bookkeeping nor a successful versioned migration, which Flyway itself must look at.
     */
    private static Optional<Set<String>> applied(DataSource direct) {
        try (Connection c = direct.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\", \"success\", \"type\" FROM \"flyway_schema_history\"")) {
            Set<String> versions = new HashSet<>();
            while (rs.next()) {
                String version = rs.getString(1);
                if (version == null && BOOKKEEPING.contains(rs.getString(3))) continue;
                if (version == null || !rs.getBoolean(2)) return Optional.empty();
                versions.add(version);
            }
            return Optional.of(versions);
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** Throws when an applied migration is above every migration this server knows. */
    static void refuseNewer(MigrationInfo[] all) {
        Optional<MigrationVersion> newest = versions(all, true).max(Comparator.naturalOrder());
        if (newest.isEmpty()) return;
        MigrationVersion known = versions(all, false).max(Comparator.naturalOrder()).orElse(MigrationVersion.EMPTY);
        throw new SchemaTooNewException(newest.get().getVersion(), known.getVersion());
    }

    /**
     * Throws when the schema holds tables but no migration history: another application's database (or a copy made
     * without Flyway's table), which migrating would mix Stoker's tables into. Flyway's own refusal names its API
     * ({@code baseline()}, {@code baselineOnMigrate}), nothing an operator can set.
     */
    static void refuseForeign(DataSource direct) {
        List<String> tables = new ArrayList<>();
        try (Connection c = direct.getConnection();
             ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[]{"TABLE"})) {
            while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
        } catch (SQLException e) {
            return; // Flyway meets the same problem next and reports it
        }
        if (tables.isEmpty() || tables.stream().anyMatch(HISTORY::equalsIgnoreCase)) return;
        throw new ForeignSchemaException(tables);
    }

    /** Throws when a migration failed part-way (DDL that is not transactional): Flyway would only say "run repair". */
    static void refuseFailed(MigrationInfo[] all) {
        Arrays.stream(all).filter(i -> i.getState() == MigrationState.FAILED).findFirst().ifPresent(i -> {
            throw new IllegalStateException("the database's migration to version " + i.getVersion() + " ("
                    + i.getDescription() + ") failed part-way: restore the backup made before the upgrade, then start"
                    + " Stoker again");
        });
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

    /** The database holds another application's tables; the message is the one sentence the operator sees. */
    public static final class ForeignSchemaException extends IllegalStateException {
        ForeignSchemaException(List<String> tables) {
            super("the database holds tables that Stoker did not make (" + String.join(", ", tables.stream().sorted()
                    .limit(5).toList()) + (tables.size() > 5 ? ", …" : "") + ") and no record of Stoker's migrations ("
                    + HISTORY + "): give Stoker an empty database of its own");
        }
    }

    /** The database was migrated by a newer Stoker; the message is the one sentence the operator sees. */
    public static final class SchemaTooNewException extends IllegalStateException {
        SchemaTooNewException(String found, String known) {
            super("the database schema is at version " + found + ", newer than this Stoker knows (up to " + known
                    + "): start the Stoker release that migrated it, or a newer one");
        }
    }
}
