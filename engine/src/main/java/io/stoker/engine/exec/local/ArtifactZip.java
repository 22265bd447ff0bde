package io.stoker.engine.exec.local;

import io.stoker.engine.files.WorkspaceFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips the workspace files matching glob patterns. {@code **} crosses directories, a leading {@code **}/ also
 * matches at the top level, and a pattern naming a directory takes everything under it. A link is zipped as the file
 * it points to only when that file is inside the workspace ({@link WorkspaceFiles}).
 */
public final class ArtifactZip {
    private ArtifactZip() {
    }

    /** Writes the matching files into {@code zip} and returns how many; with none, no zip is left behind. */
    public static int collect(Path workspace, List<String> globs, Path zip) throws IOException {
        List<PathMatcher> matchers = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        var fs = FileSystems.getDefault();
        for (String glob : globs) {
            String g = glob.startsWith("./") ? glob.substring(2) : glob;
            matchers.add(fs.getPathMatcher("glob:" + g));
            if (g.startsWith("**/")) matchers.add(fs.getPathMatcher("glob:" + g.substring(3)));
            dirs.add(g.endsWith("/") ? g.substring(0, g.length() - 1) : g);
        }
        // never through a link out of the workspace: a task in a container must not reach the server's files
        List<WorkspaceFiles.Entry> files = WorkspaceFiles.regular(workspace).stream()
                .filter(f -> matches(f.relative(), matchers, dirs)).toList();
        if (files.isEmpty()) return 0;
        Files.createDirectories(zip.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (WorkspaceFiles.Entry f : files) {
                z.putNextEntry(new ZipEntry(f.relative().toString().replace('\\', '/')));
                try (InputStream in = Files.newInputStream(f.source(), LinkOption.NOFOLLOW_LINKS)) {
                    in.transferTo(z);
                }
                z.closeEntry();
            }
        }
        return files.size();
    }

    private static boolean matches(Path rel, List<PathMatcher> matchers, List<String> dirs) {
        for (PathMatcher m : matchers) if (m.matches(rel)) return true;
        String s = rel.toString();
        for (String d : dirs) if (!d.isEmpty() && s.startsWith(d + "/") && !d.contains("*")) return true;
        return false;
    }
}
