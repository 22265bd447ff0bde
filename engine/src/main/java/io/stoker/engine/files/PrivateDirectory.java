package io.stoker.engine.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory only its owner may list or enter (0700), made so when missing: what the server keeps there (its
 * database with password hashes, git mirrors whose configs may hold credentials) is no other local account's to read,
 * whatever the umask. One that exists is left as it is: its mode is the operator's choice (a group an install gave
 * access, say). Missing parents are made as {@link Files#createDirectories} makes them.
 */
public final class PrivateDirectory {
    private static final FileAttribute<?>[] OWNER_ONLY =
            {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))};
    private static final FileAttribute<?>[] NONE = {};

    private PrivateDirectory() {
    }

    /** {@code dir}, made 0700 (where the file system has POSIX modes) if it did not exist. */
    public static Path create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return dir;
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            return Files.createDirectory(dir, posix ? OWNER_ONLY : NONE);
        } catch (FileAlreadyExistsException raced) {
            if (Files.isDirectory(dir)) return dir; // made meanwhile (another server of a cluster): its mode stays
            throw raced;
        }
    }
}
