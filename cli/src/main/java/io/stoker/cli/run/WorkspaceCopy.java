package io.stoker.cli.run;

import io.stoker.cli.FileProblem;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A local run works in a fresh copy of the Jobfile's directory, so a run never changes the author's files.
 * {@code .git} and the excluded directories (the data directory when it sits inside) are left out;
 * symbolic links are copied as links, file modes are kept. The directory itself is followed when it is reached
 * through a link ({@code ~/src -> /data/src}): what is copied is what it links to.
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
    public static Size measure(Path from, Set<Path> given, long maxBytes, long maxFiles) throws IOException {
        Path source = from.toRealPath();
        Set<Path> exclude = real(given);
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

    public static void copy(Path from, Path to, Set<Path> given) throws IOException {
        Path source;
        try {
            source = from.toRealPath();
        } catch (IOException e) {
            throw uncopied(from, e);
        }
        Files.createDirectories(to);
        // the walk below sees real paths: the target and the excluded directories are compared as such
        Path target = to.toRealPath();
        Set<Path> exclude = real(given);
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path abs = dir.toAbsolutePath().normalize();
                if (!abs.equals(source) && (left(dir, abs, exclude) || abs.equals(target))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                try {
                    Files.createDirectories(target.resolve(source.relativize(abs).toString()));
                } catch (IOException e) {
                    throw uncopied(dir, e);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path dest = target.resolve(source.relativize(file.toAbsolutePath().normalize()).toString());
                try {
                    if (attrs.isSymbolicLink()) {
                        Files.createSymbolicLink(dest, Files.readSymbolicLink(file));
                    } else if (attrs.isRegularFile()) {
                        Files.copy(file, dest, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    }
                } catch (IOException e) {
                    throw uncopied(file, e);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw uncopied(file, e);
            }
        });
    }

    /** Java's file errors name only a path: the refusal names the file of the project, and why in words. */
    private static IOException uncopied(Path file, IOException e) {
        return new IOException("cannot copy " + file + " into the workspace: " + FileProblem.reason(e), e);
    }

    /** The directories as the walk meets them: through their links, where they exist. */
    private static Set<Path> real(Set<Path> dirs) {
        return dirs.stream().map(WorkspaceCopy::real).collect(Collectors.toUnmodifiableSet());
    }

    private static Path real(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException notThere) {
            return dir.toAbsolutePath().normalize();
        }
    }
}
