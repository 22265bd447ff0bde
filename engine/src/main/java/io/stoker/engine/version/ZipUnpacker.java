package io.stoker.engine.version;

import io.stoker.engine.files.ZipIntoDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Unpacks tasks' artifact zips into one tree; entries that would leave it are skipped (see {@link ZipIntoDirectory}). */
final class ZipUnpacker {
    private ZipUnpacker() {
    }

    /** Unpacks every zip into {@code dir}; returns why not when two tasks bring the same file, else null. */
    static String unpack(Map<String, Path> zips, Path dir) throws IOException {
        Map<String, String> from = new HashMap<>();
        for (var e : zips.entrySet()) {
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(e.getValue()))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    if (entry.isDirectory()) continue;
                    Path target = ZipIntoDirectory.target(dir, entry.getName());
                    if (target == null) continue;
                    String rel = dir.toAbsolutePath().normalize().relativize(target).toString().replace('\\', '/');
                    String earlier = from.putIfAbsent(rel, e.getKey());
                    if (earlier != null && !earlier.equals(e.getKey())) {
                        return "file " + rel + " comes from two tasks (" + earlier + ", " + e.getKey() + ")";
                    }
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return null;
    }
}
