package io.stoker.engine.version;

import io.stoker.engine.files.ZipIntoDirectory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Unpacks tasks' artifact zips into one tree, files with the permission bits they were zipped with; entries that
 * would leave it are skipped (see {@link ZipIntoDirectory}).
 */
final class ZipUnpacker {
    private ZipUnpacker() {
    }

    /** Unpacks every zip into {@code dir}; returns why not when two tasks bring the same file, else null. */
    static String unpack(Map<String, Path> zips, Path dir) throws IOException {
        Map<String, String> from = new HashMap<>();
        for (var e : zips.entrySet()) {
            String[] clash = {null};
            ZipIntoDirectory.Unpacked u = ZipIntoDirectory.unpack(e.getValue(), dir, rel -> {
                String earlier = from.putIfAbsent(rel, e.getKey());
                if (clash[0] == null && earlier != null && !earlier.equals(e.getKey())) {
                    clash[0] = "file " + rel + " comes from two tasks (" + earlier + ", " + e.getKey() + ")";
                }
                return clash[0] == null;
            });
            if (clash[0] != null) return clash[0];
            // an entry leaving the tree is skipped; one that could not be written there fails the publish
            List<String> unwritten = u.leftOut().stream().filter(name -> ZipIntoDirectory.target(dir, name) != null).toList();
            if (!unwritten.isEmpty()) {
                throw new IOException("cannot write " + unwritten + " of the artifacts of " + e.getKey() + " into the version");
            }
        }
        return null;
    }
}
