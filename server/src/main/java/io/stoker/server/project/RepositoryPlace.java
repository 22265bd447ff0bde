package io.stoker.server.project;

import org.eclipse.jgit.transport.URIish;

import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a git URL is read from, as git reads it: another host ({@code https://}, {@code ssh://}, scp-like), or this
 * server's own disk (an absolute path or a {@code file:} URL, whatever its host).
 */
public sealed interface RepositoryPlace permits RepositoryPlace.Remote, RepositoryPlace.OnDisk {

    /** Read over the network, with the project's credentials. */
    record Remote() implements RepositoryPlace {
    }

    /** Read from the server's disk at {@code path} (absolute and normalised; null when git could name none). */
    record OnDisk(Path path) implements RepositoryPlace {
    }

    static RepositoryPlace of(String gitUrl) {
        String url = gitUrl.strip();
        boolean fileScheme = url.toLowerCase(Locale.ROOT).startsWith("file:");
        String path;
        try {
            URIish u = new URIish(url);
            boolean local = u.getScheme() == null ? u.getHost() == null : u.getScheme().equalsIgnoreCase("file");
            if (!local && !fileScheme) return new Remote();
            path = u.getPath();
        } catch (URISyntaxException e) {
            if (!fileScheme && !url.startsWith("/")) return new Remote();
            path = fileScheme ? null : url;
        }
        if (path == null || path.isEmpty()) return new OnDisk(null);
        try {
            return new OnDisk(Path.of(path).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return new OnDisk(null);
        }
    }
}
