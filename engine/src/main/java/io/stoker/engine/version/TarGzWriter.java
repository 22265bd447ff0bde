package io.stoker.engine.version;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a version's files into one {@code .tar.gz}, entries named by their path in the version. */
final class TarGzWriter {
    private TarGzWriter() {
    }

    static void write(Path dir, List<VersionManifest.FileEntry> files, Path out) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out));
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (var f : files) {
                Path p = dir.resolve(f.path());
                // name, size, time and mode only: an entry made from the Path adds pax headers for the file's
                // creation time and owner, and GNU tar warns of an unknown keyword at every file
                TarArchiveEntry entry = new TarArchiveEntry(f.path());
                entry.setSize(Files.size(p));
                entry.setModTime(Files.getLastModifiedTime(p));
                entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE | (Files.isExecutable(p) ? 0111 : 0));
                tar.putArchiveEntry(entry);
                Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }
}
