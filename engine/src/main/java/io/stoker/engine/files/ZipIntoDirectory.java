package io.stoker.engine.files;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * Unpacks a zip (a task's artifacts: paths relative to its workspace) into a directory that may hold files already,
 * such as a checked-out workspace. An entry is written only inside the directory: never by a name with {@code ..}
 * or a leading {@code /}, and never through a symbolic link found there (a checkout may link {@code dist} anywhere).
 * A file gets the permission bits its entry was zipped with ({@link PermissionBits}), so an executable stays one; an
 * entry that is a symbolic link is left out, never made.
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
        return unpack(zip, dir, relative -> true);
    }

    /**
     * Unpacks the file entries of {@code zip} into {@code dir} that {@code take} accepts, asked with each entry's
     * path relative to {@code dir} before it is written; one it refuses is in neither list.
     */
    public static Unpacked unpack(Path zip, Path dir, Predicate<String> take) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        List<String> written = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        Path spooled = Files.isRegularFile(zip) ? null : spool(zip);
        // the central directory, not the stream: only it holds each entry's Unix mode
        try (ZipFile z = ZipFile.builder().setPath(spooled != null ? spooled : zip).get()) {
            for (ZipArchiveEntry entry : Collections.list(z.getEntriesInPhysicalOrder())) {
                if (entry.isDirectory()) continue;
                Path target = entry.isUnixSymlink() ? null : target(dir, entry.getName());
                if (target == null) {
                    leftOut.add(entry.getName());
                    continue;
                }
                if (!take.test(SlashPath.of(base.relativize(target)))) continue;
                try (InputStream in = z.getInputStream(entry)) {
                    Files.createDirectories(target.getParent());
                    // a link in the file's own place is replaced itself, not written through
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    if (entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX) {
                        PermissionBits.apply(target, entry.getUnixMode());
                    }
                    written.add(entry.getName());
                } catch (IOException e) { // e.g. a directory where the zip has a file
                    leftOut.add(entry.getName());
                }
            }
        } finally {
            if (spooled != null) Files.deleteIfExists(spooled);
        }
        return new Unpacked(written, leftOut);
    }

    /** A zip read from a pipe, copied into a temporary file: its central directory is at its end. */
    private static Path spool(Path zip) throws IOException {
        Path copy = Files.createTempFile("stoker-unpack-", ".zip");
        try {
            Files.copy(zip, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
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
