package io.stoker.engine.version;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The manifest's file list: every regular file under a directory with its size and SHA-256, sorted by path. */
final class FileDigests {
    private FileDigests() {
    }

    static List<VersionManifest.FileEntry> of(Path dir) throws IOException {
        List<VersionManifest.FileEntry> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.add(new VersionManifest.FileEntry(io.stoker.engine.files.SlashPath.of(dir.relativize(f)), Files.size(f), sha256(f)));
            }
        }
        out.sort(java.util.Comparator.comparing(VersionManifest.FileEntry::path));
        return out;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) digest.update(buf, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
