package io.stoker.server.forge

import java.nio.file.Files
import java.nio.file.Path

/** What a copy of the database files shows: the H2 file keeps short strings as their UTF-8 bytes. */
final class DatabaseFiles {
    private DatabaseFiles() {
    }

    /** The files under {@code dir} (relative to it) whose bytes hold {@code text}. */
    static List<String> holding(Path dir, String text) {
        Files.walk(dir).withCloseable { paths ->
            paths.filter { Files.isRegularFile(it) && new String(Files.readAllBytes(it), 'ISO-8859-1').contains(text) }
                    .collect { dir.relativize(it).toString() }
        }
    }
}
