package io.stoker.server.api;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a gzipped tar archive of a few files (a run's artifact zips). commons-compress writes the headers: names
 * over 100 bytes (a long task name) and sizes of 8 GiB or more go into POSIX (pax) extended headers, which GNU tar,
 * bsdtar and busybox read.
 */
final class TarGz {
    private TarGz() {
    }

    /** @param entries name in the archive → file */
    static void write(Map<String, Path> entries, Path target) throws IOException {
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(target), 64 * 1024);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (var e : entries.entrySet()) {
                // name, size and time only: an entry made from the Path would add pax headers for the file's
                // creation time and owner, which GNU tar warns about
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(Files.size(e.getValue()));
                entry.setModTime(Files.getLastModifiedTime(e.getValue()));
                tar.putArchiveEntry(entry);
                Files.copy(e.getValue(), tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }
}
