package io.stoker.engine.version;

import java.time.Instant;
import java.util.List;

/**
 * What a version holds and where it comes from; written once with the version, never changed.
 *
 * @param files every file, sorted by path ('/'-separated, relative to the version)
 */
public record VersionManifest(String project, String version, String commit, String runKey, String job,
                              Instant createdAt, List<FileEntry> files) {
    public VersionManifest {
        files = List.copyOf(files);
    }

    /** One file: its path, size in bytes and SHA-256 (lower-case hex). */
    public record FileEntry(String path, long size, String sha256) {
    }

    /** The sum of the files' sizes. */
    public long size() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }
}
