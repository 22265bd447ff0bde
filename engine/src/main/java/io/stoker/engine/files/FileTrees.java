package io.stoker.engine.files;

import org.apache.commons.io.file.Counters;
import org.apache.commons.io.file.DeleteOption;
import org.apache.commons.io.file.DeletingPathVisitor;
import org.apache.commons.io.file.StandardDeleteOption;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The one recursive delete of Stoker (workspaces, scratch files, git mirrors, the bench's temp trees). Read-only
 * trees are removed too: Go's module cache is {@code chmod -R a-w}, and a server running as an ordinary user must
 * still free a workspace where {@code go build} ran. Symbolic links are removed, never followed.
 */
public final class FileTrees {
    private FileTrees() {
    }

    /** Deletes {@code dir} and everything under it; nothing happens when it does not exist. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(dir);
            return;
        }
        // a file created under the tree while it is walked (a process still winding down, a git writer) makes the
        // last rmdir fail: walk again, a bounded number of times, as git's own recursive delete retries
        for (int attempt = 1; ; attempt++) {
            try {
                Files.walkFileTree(dir, new ReadOnlyDeleting());
                return;
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                if (attempt == 3) throw e;
            }
        }
    }

    /** {@link #delete}, for cleanups whose leftovers cost disk and nothing else: true when {@code dir} is gone. */
    public static boolean deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (IOException e) {
            // the caller only frees disk; whether it is gone is the answer
        }
        return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }

    /** Deletes everything under {@code dir}, keeping {@code dir} itself. */
    public static void deleteContents(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (var children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) delete(child);
        }
    }

    /**
     * commons-io's deleting visitor with its read-only override, which makes a file writable before deleting it;
     * entries of a read-only directory also need the directory writable, which this adds before it is entered.
     */
    private static final class ReadOnlyDeleting extends DeletingPathVisitor {
        ReadOnlyDeleting() {
            super(Counters.noopPathCounters(), new LinkOption[] {LinkOption.NOFOLLOW_LINKS},
                    new DeleteOption[] {StandardDeleteOption.OVERRIDE_READ_ONLY});
        }

        /**
         * A named pipe, socket or device is unlinked as it is: the read-only override opens a file to change its
         * attributes, and opening a FIFO nobody writes to waits for ever (a task's {@code mkfifo} left in its
         * workspace stopped every later run's start). Unlinking needs only the directory writable.
         */
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            if (attributes.isOther()) {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }
            return super.visitFile(file, attributes);
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
            if (!Files.isWritable(dir) && Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
                permissions.addAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE));
                Files.setPosixFilePermissions(dir, permissions);
            }
            return super.preVisitDirectory(dir, attributes);
        }
    }
}
