package io.stoker.engine.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a zip (a task's artifacts: paths relative to its workspace) into a directory that may hold files already,
 * such as a checked-out workspace. An entry is written only inside the directory: never by a name with {@code ..}
 * or a leading {@code /}, and never through a symbolic link found there (a checkout may link {@code dist} anywhere).
 */
public final class ZipIntoDirectory {
    private ZipIntoDirectory() {
    }

    /**
     * What an unpacking did.
     *
     * @param written  the files written, as the zip names them, in its order (one there already is replaced)
     * @param leftOut  the entries that would have left the directory, or could not be written there
     */
    public record Unpacked(List<String> written, List<String> leftOut) {
        public Unpacked {
            written = List.copyOf(written);
            leftOut = List.copyOf(leftOut);
        }
    }

    /** Unpacks every file entry of {@code zip} into {@code dir}; a directory entry only counts through its files. */
    public static Unpacked unpack(Path zip, Path dir) throws IOException {
        List<String> written = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (entry.isDirectory()) continue;
                Path target = target(dir, entry.getName());
                if (target == null) {
                    leftOut.add(entry.getName());
                    continue;
                }
                try {
                    Files.createDirectories(target.getParent());
                    // a link in the file's own place is replaced itself, not written through
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    written.add(entry.getName());
                } catch (IOException e) { // e.g. a directory where the zip has a file
                    leftOut.add(entry.getName());
                }
            }
        }
        return new Unpacked(written, leftOut);
    }

    /**
     * Where entry {@code name} goes in {@code dir}, or null when it would leave it: by its name, or through a
     * symbolic link on the way (a directory the entry's path passes through).
     */
    public static Path target(Path dir, String name) {
        Path base = dir.toAbsolutePath().normalize();
        Path target = base.resolve(name).normalize();
        if (!target.startsWith(base) || target.equals(base)) return null;
        for (Path p = target.getParent(); !p.equals(base); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) return null;
        }
        return target;
    }
}
