package io.stoker.server.project;

import io.stoker.server.Refused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who may point a project at the server's own disk. A local repository (a path or {@code file://} URL) is read
 * with the server's rights, past project membership and git credentials: only an admin may name one. The data
 * directory (other projects' mirrors, the database, keys) is refused to everyone, through a link too.
 *
 * @param dataDir the server's data directory
 */
public record LocalRepositories(Path dataDir) {
    static final String ADMIN_ONLY = "a local repository (a path or file:// URL) can be read only by an admin,"
            + " since it reads the server's own disk";

    /** Refuses {@code gitUrl} when it reads the disk and {@code byAdmin} is false, or reads the data directory. */
    public void check(String gitUrl, boolean byAdmin) {
        check(gitUrl, byAdmin, "gitUrl");
    }

    /** As {@link #check(String, boolean)} for a URL given in {@code field} (a shuttle build's {@code source.url}). */
    public void check(String url, boolean byAdmin, String field) {
        if (!(RepositoryPlace.of(url) instanceof RepositoryPlace.OnDisk disk)) return;
        if (!byAdmin) throw new Refused.Forbidden(ADMIN_ONLY, List.of("field: " + field));
        if (disk.path() == null) {
            throw new Refused.Malformed("'" + field + "' names no path on the server's disk", "field: " + field);
        }
        if (inside(disk.path())) {
            throw new Refused.Invalid("'" + field + "' is inside the server's data directory, which holds other"
                    + " projects' mirrors, the database and keys: no project may read it", List.of("field: " + field));
        }
    }

    private boolean inside(Path path) {
        Path data = dataDir.toAbsolutePath().normalize();
        return path.startsWith(data) || real(path).startsWith(real(data));
    }

    /** The path with its links followed, as far as it exists. */
    private static Path real(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return path;
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            return path;
        }
    }
}
