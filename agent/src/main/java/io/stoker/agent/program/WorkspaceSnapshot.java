package io.stoker.agent.program;

import io.stoker.agent.protocol.FileEntry;
import io.stoker.agent.protocol.WorkspaceChanges;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A workspace's entries at one moment (path → entry), and what changed between two such moments: how the server
 * learns which files a task created, changed or deleted without listing the workspace itself (and, on the server,
 * what of its own copy changed since a pull agent last had it).
 */
public final class WorkspaceSnapshot {
    private WorkspaceSnapshot() {
    }

    public static Map<String, FileEntry> take(Path root) throws IOException {
        Map<String, FileEntry> out = new TreeMap<>();
        if (!Files.isDirectory(root)) return out;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) add(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // gone meanwhile (a background process), or unreadable
            }

            private void add(Path p) throws IOException {
                String rel = io.stoker.engine.files.SlashPath.of(root.relativize(p));
                try {
                    PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    char kind = a.isSymbolicLink() ? 'l' : a.isDirectory() ? 'd' : a.isRegularFile() ? 'f' : 0;
                    if (kind == 0) return; // sockets, FIFOs: not workspace content
                    String target = kind == 'l' ? Files.readSymbolicLink(p).toString() : null;
                    out.put(rel, new FileEntry(rel, kind, kind == 'f' ? a.size() : 0,
                            a.lastModifiedTime().to(TimeUnit.NANOSECONDS), mode(a), target));
                } catch (NoSuchFileException gone) {
                    // deleted while we looked
                }
            }
        });
        return out;
    }

    /** What differs from {@code before} to {@code after}. */
    public static WorkspaceChanges diff(Map<String, FileEntry> before, Map<String, FileEntry> after) {
        List<FileEntry> changed = new ArrayList<>();
        for (FileEntry e : new TreeMap<>(after).values()) {
            if (!same(e, before.get(e.path()))) changed.add(e);
        }
        List<String> deleted = before.keySet().stream().filter(k -> !after.containsKey(k))
                .sorted(Comparator.reverseOrder()).toList();
        return new WorkspaceChanges(changed, deleted);
    }

    private static boolean same(FileEntry a, FileEntry b) {
        if (b == null || a.kind() != b.kind()) return false;
        return switch (a.kind()) {
            case 'l' -> Objects.equals(a.target(), b.target());
            case 'd' -> a.mode() == b.mode();
            default -> a.size() == b.size() && a.mtime() == b.mtime() && a.mode() == b.mode();
        };
    }

    private static int mode(PosixFileAttributes a) {
        int m = 0;
        for (PosixFilePermission p : a.permissions()) m |= 1 << (8 - p.ordinal());
        return m;
    }
}
