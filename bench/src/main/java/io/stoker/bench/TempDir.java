package io.stoker.bench;

import io.stoker.engine.files.FileTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A temporary directory deleted, with everything in it, on close. */
final class TempDir implements AutoCloseable {
    final Path path;

    TempDir(String prefix) throws IOException {
        this.path = Files.createTempDirectory(prefix);
    }

    @Override
    public void close() {
        try {
            FileTrees.delete(path);
        } catch (IOException e) {
            System.err.println("bench: could not delete " + path + ": " + e.getMessage());
        }
    }

    static void deleteContents(Path dir) {
        try {
            FileTrees.deleteContents(dir);
        } catch (IOException e) {
            System.err.println("bench: could not clean " + dir + ": " + e.getMessage());
        }
    }
}
