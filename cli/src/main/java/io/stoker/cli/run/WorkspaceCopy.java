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

    public static void copy(Path from, Path to, Set<Path> exclude) throws IOException {
        Path source = from.toAbsolutePath().normalize();
        Path target = to.toAbsolutePath().normalize();
        Files.createDirectories(target);
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path abs = dir.toAbsolutePath().normalize();
                if (!abs.equals(source) && (dir.getFileName().toString().equals(".git")
                        || exclude.contains(abs) || abs.equals(target))) {
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
