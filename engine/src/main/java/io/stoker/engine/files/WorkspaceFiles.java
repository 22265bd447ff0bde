package io.stoker.engine.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files a task left in its workspace, as the server reads them (artifacts, files published in an image): never
 * through a symbolic link that leads out of the workspace. A task in a container runs without the server's rights,
 * yet could otherwise link {@code dist/key} to the server's master key and have it zipped into its artifacts.
 * <p>
 * The workspace is read through its directories' own descriptors ({@link SecureDirectoryStream}), one path component
 * at a time and never following a link, for listing and opening alike: another task of the run may swap a directory
 * for a link between the two, and what is opened then is still inside the workspace, or nothing. A link a task made
 * to a file inside the workspace is resolved here, component by component, the way the kernel would, so it is read
 * as that file without the kernel ever following it.
 */
public final class WorkspaceFiles implements Closeable {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    /** How many links one path may pass through, as the kernel allows ({@code MAXSYMLINKS}). */
    private static final int MAX_LINKS = 40;

    private final Path workspace;
    private final Path real;
    private final SecureDirectoryStream<Path> root;

    private WorkspaceFiles(Path workspace, Path real, SecureDirectoryStream<Path> root) {
        this.workspace = workspace;
        this.real = real;
        this.root = root;
    }

    /**
     * A file found in the workspace.
     *
     * @param relative its path in the workspace (a link's own path, not its target's)
     * @param target   the path in the workspace of what is read: the file itself, or the file its link points to
     */
    public record Entry(Path relative, Path target) {
    }

    /** A file opened for reading, with its permission bits ({@link PermissionBits}). */
    public record Opened(SeekableByteChannel channel, int mode) implements Closeable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Why a listed file was not read: it is no longer a regular file reached inside the workspace. */
    public static final class Gone extends IOException {
        public Gone(String why) {
            super(why);
        }
    }

    /** Opens the workspace for reading its files; close it once they are read. */
    public static WorkspaceFiles open(Path workspace) throws IOException {
        Path absolute = workspace.toAbsolutePath().normalize();
        DirectoryStream<Path> dir = Files.newDirectoryStream(absolute);
        if (!(dir instanceof SecureDirectoryStream<Path> secure)) {
            dir.close();
            throw new IOException("this system cannot read a workspace's files without following the links in it");
        }
        return new WorkspaceFiles(absolute, absolute.toRealPath(), secure);
    }

    /**
     * Every regular file in the workspace, and every link to one that stays inside it, sorted by path; links
     * leading out of the workspace, to directories or to nothing are left out (directory links are not followed),
     * and so is anything else that is not a regular file (a FIFO, a socket).
     */
    public List<Entry> regular() throws IOException {
        List<Entry> out = new ArrayList<>();
        list(root, Path.of(""), out);
        out.sort(Comparator.comparing(Entry::relative));
        return out;
    }

    private void list(SecureDirectoryStream<Path> dir, Path at, List<Entry> out) throws IOException {
        try {
            for (Path child : dir) {
                Path name = child.getFileName();
                Path relative = at.resolve(name);
                BasicFileAttributes a;
                try {
                    a = attributes(dir, name);
                } catch (IOException gone) {
                    continue; // removed while listed
                }
                if (a.isDirectory()) {
                    try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW)) {
                        list(sub, relative, out);
                    } catch (IOException swapped) {
                        // no longer a directory (a link now): nothing under it is the workspace's
                    }
                } else if (a.isRegularFile()) {
                    out.add(new Entry(relative, relative));
                } else if (a.isSymbolicLink()) {
                    resolve(relative, MAX_LINKS).ifPresent(target -> out.add(new Entry(relative, target)));
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    /**
     * Where in the workspace {@code relative} leads once the links on its way are resolved, component by component
     * and lexically (a link's text only; the kernel follows none): a path of directories and a regular file, none of
     * them a link; empty when it leads out of the workspace, to nothing or to something else.
     */
    private Optional<Path> resolve(Path relative, int linksLeft) {
        if (relative.getNameCount() == 0 || relative.startsWith("..")) return Optional.empty();
        List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
        try {
            SecureDirectoryStream<Path> dir = root;
            for (int i = 0; i < relative.getNameCount(); i++) {
                Path name = relative.getName(i);
                BasicFileAttributes a = attributes(dir, name);
                boolean last = i == relative.getNameCount() - 1;
                if (a.isSymbolicLink()) {
                    if (linksLeft == 0) return Optional.empty();
                    Path rest = last ? Path.of("") : relative.subpath(i + 1, relative.getNameCount());
                    return inside(relative.subpath(0, i + 1))
                            .flatMap(target -> resolve(target.resolve(rest).normalize(), linksLeft - 1));
                }
                if (last) return a.isRegularFile() ? Optional.of(relative) : Optional.empty();
                if (!a.isDirectory()) return Optional.empty();
                dir = dir.newDirectoryStream(name, NOFOLLOW);
                opened.add(dir);
            }
            return Optional.empty();
        } catch (IOException gone) {
            return Optional.empty();
        } finally {
            closeAll(opened);
        }
    }

    /**
     * The path in the workspace the link at {@code link} names, from its text alone: its text is the task's to choose
     * anyway, so reading it by path (through whatever the directories above it are now) tells nothing more.
     */
    private Optional<Path> inside(Path link) {
        try {
            Path text = Files.readSymbolicLink(workspace.resolve(link));
            Path target;
            if (text.isAbsolute()) {
                Path t = text.normalize();
                if (t.startsWith(real)) target = real.relativize(t);
                else if (t.startsWith(workspace)) target = workspace.relativize(t);
                else return Optional.empty();
            } else {
                Path parent = link.getParent();
                target = (parent == null ? text : parent.resolve(text)).normalize();
            }
            return target.startsWith("..") ? Optional.empty() : Optional.of(target);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Opens a listed file for reading, through the directories of its {@link Entry#target()} one by one, following
     * no link. Throws {@link Gone} when it is no longer a regular file reached that way: a directory on its way was
     * swapped for a link, or the file for anything else, since it was listed.
     */
    public Opened open(Entry entry) throws IOException {
        Path path = entry.target();
        List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
        try {
            SecureDirectoryStream<Path> dir = root;
            for (int i = 0; i < path.getNameCount() - 1; i++) {
                Path name = path.getName(i);
                try {
                    if (!attributes(dir, name).isDirectory()) throw new Gone(path.subpath(0, i + 1) + " is no longer a directory inside the workspace");
                    dir = dir.newDirectoryStream(name, NOFOLLOW);
                } catch (Gone g) {
                    throw g;
                } catch (IOException e) {
                    throw new Gone(path.subpath(0, i + 1) + " is no longer a directory inside the workspace");
                }
                opened.add(dir);
            }
            Path name = path.getFileName();
            BasicFileAttributes a;
            try {
                a = attributes(dir, name);
            } catch (IOException e) {
                throw new Gone("it is gone");
            }
            if (!a.isRegularFile()) throw new Gone("it is no longer a regular file inside the workspace");
            int mode = mode(dir, name);
            SeekableByteChannel channel;
            try {
                channel = dir.newByteChannel(name, Set.of(StandardOpenOption.READ, NOFOLLOW));
            } catch (IOException e) {
                throw new Gone("it can no longer be opened as a regular file");
            }
            return new Opened(channel, mode);
        } finally {
            closeAll(opened);
        }
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
    }

    /** The permission bits of {@code name} in {@code dir}, or {@link PermissionBits#PLAIN} without any. */
    private static int mode(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        PosixFileAttributeView view = dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW);
        if (view == null) return PermissionBits.PLAIN;
        return PermissionBits.of(view.readAttributes().permissions());
    }

    private static void closeAll(List<SecureDirectoryStream<Path>> dirs) {
        for (SecureDirectoryStream<Path> d : dirs) {
            try {
                d.close();
            } catch (IOException ignored) {
                // a directory read from: closing it loses nothing
            }
        }
    }

    @Override
    public void close() throws IOException {
        root.close();
    }
}
