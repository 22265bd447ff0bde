package io.stoker.server.secret;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A key file in the data directory (mode 0600) made once: written whole to a temp file and then linked into place,
 * which fails when the file exists. So servers of a cluster starting at once on a shared data directory all end up
 * with the same key, and none ever reads a half-written file.
 */
public final class KeyFile {
    private KeyFile() {
    }

    /** Creates {@code file} with {@code text} unless it exists; either way returns what the file holds. */
    public static String createOnce(Path file, String text) throws IOException {
        if (!Files.exists(file)) {
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the temp file is made readable by its owner only where the file system knows modes
                }
                Files.writeString(tmp, text);
                try {
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException raced) {
                    // another server made it first: theirs is the key
                } catch (UnsupportedOperationException noLinks) {
                    if (!Files.exists(file)) Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return Files.readString(file);
    }
}
