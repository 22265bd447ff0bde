package io.stoker.cli.run;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * A local run works in a fresh copy of the Jobfile's directory, so a run never changes the author's files.
 * {@code .git} and the excluded directories (the data directory when it sits inside) are left out;
 * symbolic links are copied as links, file modes are kept.
 */
public final class WorkspaceCopy {
    private WorkspaceCopy() {
    }

    /** What a copy would hold: its files and their bytes. */
    public record Size(long files, long bytes) {
    }

    /**
     * Counts what {@link #copy} would copy, stopping as soon as it passes {@code maxBytes} or {@code maxFiles} (the
     * answer then is just past the limit): a Jobfile kept in a big directory ({@code /tmp}, a home directory) must not
     * start a run that first copies gigabytes.
     */
    public static Size measure(Path from, Set<Path> exclude, long maxBytes, long maxFiles) throws IOException {
        Path source = from.toAbsolutePath().normalize();
        long[] seen = new long[2];
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                Path abs = dir.toAbsolutePath().normalize();
                return !abs.equals(source) && left(dir, abs, exclude) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                seen[0]++;
                if (attrs.isRegularFile()) seen[1] += attrs.size();
                return seen[0] > maxFiles || seen[1] > maxBytes ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // the copy says what it cannot read
            }
        });
        return new Size(seen[0], seen[1]);
    }

    /** {@code .git} and the excluded directories stay out of a workspace. */
    private static boolean left(Path dir, Path abs, Set<Path> exclude) {
        return dir.getFileName().toString().equals(".git") || exclude.contains(abs);
    }

    public static void copy(Path from, Path to, Set<Path> exclude) throws IOException {
        Path source = from.toAbsolutePath().normalize();
        Path target = to.toAbsolutePath().normalize();
        Files.createDirectories(target);
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path abs = dir.toAbsolutePath().normalize();
                if (!abs.equals(source) && (left(dir, abs, exclude) || abs.equals(target))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(target.resolve(source.relativize(abs).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path dest = target.resolve(source.relativize(file.toAbsolutePath().normalize()).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(dest, Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    Files.copy(file, dest, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw new IOException("cannot copy " + file + " into the workspace: " + e.getMessage(), e);
            }
        });
    }
}
