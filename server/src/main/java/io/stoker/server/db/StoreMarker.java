package io.stoker.server.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file {@code store} in a data directory names the PostgreSQL database its server keeps its store in (the URL
 * without its password). An H2 server started by mistake on such a directory (the {@code --db} left out of a unit
 * file, say) would begin an empty store of its own beside the cluster's logs, artifacts and keys, and serve it without
 * a word: it refuses instead, naming the database.
 */
final class StoreMarker {
    static final String FILE = "store";

    private StoreMarker() {
    }

    /** Refuses an H2 start on a data directory whose server used PostgreSQL and that holds no H2 store of its own. */
    static void checkH2(Path dataDir) {
        Path marker = dataDir.resolve(FILE);
        if (Files.exists(dataDir.resolve("db").resolve("stoker.mv.db"))) return; // it has an H2 store: that one is meant
        Optional<String> url = read(marker);
        if (url.isEmpty()) return;
        throw new Database.CannotOpenException("the data directory " + dataDir.toAbsolutePath() + " belongs to a server on "
                + url.get() + ": start this one with --db and that database's URL (or STOKER_DB), or give an H2 server"
                + " a data directory of its own (remove " + marker.toAbsolutePath() + " to start an empty H2 store there"
                + " anyway)", null);
    }

    /** Notes the PostgreSQL database ({@code shown}: without its password) a server on this data directory uses. */
    static void recordPostgres(Path dataDir, String shown) {
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve(FILE), shown + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> read(Path marker) {
        try {
            String text = Files.readString(marker, StandardCharsets.UTF_8).strip();
            return text.startsWith("postgresql://") ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // none (or unreadable: the H2 open says what is wrong with the directory)
        }
    }
}
