package io.stoker.server;

import io.stoker.engine.files.FileTrees;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where Vert.x keeps the files it serves from the class path (the web UI's): a directory of this server process
 * under the data directory's {@code tmp}, removed when the server stops. Vert.x' default is one more
 * {@code /tmp/vertx-cache-<uuid>} per start, which it leaves behind when it closes. A lone server also removes what
 * servers of its data directory that were killed left there; a server of a cluster leaves its peers' alone.
 */
final class VertxFileCache {
    private static final String PREFIX = "vertx-files-";

    private final Path dir;

    private VertxFileCache(Path dir) {
        this.dir = dir;
    }

    static VertxFileCache in(Path tmp, String serverId, boolean clustered) throws IOException {
        if (!clustered) {
            try (var old = Files.list(tmp)) {
                old.filter(p -> p.getFileName().toString().startsWith(PREFIX)).forEach(FileTrees::deleteQuietly);
            }
        }
        return new VertxFileCache(Files.createDirectories(tmp.resolve(PREFIX + serverId)));
    }

    VertxOptions options() {
        // Vert.x takes the name as a prefix and makes "<it>-<uuid>" beside it: "cache-<uuid>" in this directory
        return new VertxOptions().setFileSystemOptions(new FileSystemOptions().setFileCacheDir(dir.resolve("cache").toString()));
    }

    /**
     * Removes the directory; called once Vert.x is closed. Vert.x may still be emptying its own cache directory in it
     * then, so a walk that finds a file gone under it tries again (bounded).
     */
    void remove() {
        for (int attempt = 0; attempt < 50 && !FileTrees.deleteQuietly(dir); attempt++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // the next start of a lone server removes it
            }
        }
    }
}
