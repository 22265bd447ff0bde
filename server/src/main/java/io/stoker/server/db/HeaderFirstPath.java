package io.stoker.server.db;

import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The file system H2 opens the server's database through ({@code jdbc:h2:headerfirst:/…}): the same files on disk,
 * with the database file written by {@link HeaderFirstChannel} so that a crash loses no acknowledged commit. Other
 * files (H2's trace file) pass through. Public only because H2 makes one per path by reflection.
 */
public final class HeaderFirstPath extends FilePathWrapper {
    static final String SCHEME = "headerfirst";

    static {
        FilePath.register(new HeaderFirstPath());
    }

    /** H2 makes one per path it wraps. */
    public HeaderFirstPath() {
    }

    /** Makes the scheme known to H2 (once; H2 keeps the registration for the JVM's life). */
    static void register() {
        // the static initialiser did it
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel file = getBase().open(mode);
        return name.endsWith(".mv.db") && !"r".equals(mode) ? new HeaderFirstChannel(file) : file;
    }
}
