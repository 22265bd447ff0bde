package io.stoker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** A temporary directory deleted, with everything in it, on close. */
final class TempDir implements AutoCloseable {
    final Path path;

    TempDir(String prefix) throws IOException {
        this.path = Files.createTempDirectory(prefix);
    }

    @Override
    public void close() {
        deleteContents(path);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.err.println("bench: could not delete " + path + ": " + e.getMessage());
        }
    }

    static void deleteContents(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("bench: could not clean " + dir + ": " + e.getMessage());
        }
    }
}
