package io.stoker.engine.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * A file's Unix permission bits ({@code rwxr-xr-x} as {@code 0755}), as an artifact zip keeps them with each entry:
 * read from a file when it is zipped, given back to it when it is unpacked, so an executable stays executable.
 */
public final class PermissionBits {
    private PermissionBits() {
    }

    /** What a file system without permissions (Windows) is taken to have: rw-r--r--. */
    public static final int PLAIN = 0644;

    /** The permission bits of {@code file} (not of what a link there points to), or {@link #PLAIN} without any. */
    public static int of(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return PLAIN;
        }
        return of(perms);
    }

    /** The bits of {@code perms} ({@code rwxr-xr-x} as {@code 0755}). */
    public static int of(Set<PosixFilePermission> perms) {
        int mode = 0;
        // PosixFilePermission lists OWNER_READ … OTHERS_EXECUTE from the highest bit to the lowest
        for (PosixFilePermission p : PosixFilePermission.values()) {
            mode = (mode << 1) | (perms.contains(p) ? 1 : 0);
        }
        return mode;
    }

    /**
     * Gives {@code file} (a regular file just written; a link there is not followed) the permission bits of
     * {@code mode}, a zip entry's Unix mode: never setuid, setgid or sticky, and always readable and writable by
     * its owner, so the run can replace and delete it. Nothing happens where the file system has no permissions.
     */
    public static void apply(Path file, int mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) return;
        int bits = (mode & 0777) | 0600;
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < all.length; i++) {
            if ((bits & (1 << (all.length - 1 - i))) != 0) perms.add(all[i]);
        }
        view.setPermissions(perms);
    }
}
