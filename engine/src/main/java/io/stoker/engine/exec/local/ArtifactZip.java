package io.stoker.engine.exec.local;

import io.stoker.engine.exec.CollectedArtifacts;
import io.stoker.engine.exec.CollectionStopped;
import io.stoker.engine.files.WorkspaceFiles;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Zips the workspace files matching glob patterns. {@code **} crosses directories, a leading {@code **}/ also
 * matches at the top level, and a pattern naming a directory takes everything under it. A link is zipped as the file
 * it points to only when that file is inside the workspace, and no file is read through a link in any directory of
 * its path ({@link WorkspaceFiles}). Entries are made on Unix with
 * their file mode: Info-ZIP's {@code unzip} then takes their UTF-8 names as they are (on an entry made on MS-DOS it
 * applies an OEM code page and garbles {@code ü}), and an executable stays executable.
 */
public final class ArtifactZip {
    private ArtifactZip() {
    }

    /** How many bytes are copied between two looks at whether the collection was stopped. */
    private static final int CHECK_EVERY = 1 << 20;

    /**
     * Writes the matching files into {@code zip} and says how many, and which it left out; with none zipped, no zip
     * is left behind. Once {@code stopped} says yes (asked before each file and after each mebibyte), the zip is
     * deleted and {@link CollectionStopped} thrown; on any other failure the zip is deleted too, never left cut short.
     */
    public static CollectedArtifacts collect(Path workspace, List<String> globs, Path zip, BooleanSupplier stopped)
            throws IOException {
        // listed, then opened: each step on its own (public) lets a spec swap a directory in between
        // never through a link: a task in a container must not reach the server's files, even by swapping a
        // directory for a link while the files are zipped (WorkspaceFiles reads every component without following)
        try (WorkspaceFiles files = WorkspaceFiles.open(workspace)) {
            return write(files, matching(files, globs), zip, stopped);
        }
    }

    /** The listed files of the workspace that the globs match, sorted by path. */
    public static List<WorkspaceFiles.Entry> matching(WorkspaceFiles files, List<String> globs) throws IOException {
        List<Glob> patterns = globs.stream().map(Glob::of).toList();
        return files.regular().stream().filter(f -> patterns.stream().anyMatch(g -> g.matches(f.relative()))).toList();
    }

    /**
     * Zips {@code listed}, each opened anew from the workspace: one that is no longer a regular file inside it (a
     * directory on its way swapped for a link since the listing, say) is left out and said so.
     */
    public static CollectedArtifacts write(WorkspaceFiles files, List<WorkspaceFiles.Entry> listed, Path zip,
                                    BooleanSupplier stopped) throws IOException {
        if (listed.isEmpty()) return CollectedArtifacts.NONE;
        if (stopped.getAsBoolean()) throw new CollectionStopped();
        Files.createDirectories(zip.toAbsolutePath().getParent());
        boolean complete = false;
        int zipped = 0;
        List<String> leftOut = new ArrayList<>();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(zip)) {
            byte[] buffer = new byte[CHECK_EVERY];
            for (WorkspaceFiles.Entry f : listed) {
                if (stopped.getAsBoolean()) throw new CollectionStopped();
                try (WorkspaceFiles.Opened in = files.open(f)) {
                    ZipArchiveEntry entry = new ZipArchiveEntry(io.stoker.engine.files.SlashPath.of(f.relative()));
                    entry.setUnixMode(REGULAR_FILE | in.mode());
                    z.putArchiveEntry(entry);
                    InputStream read = Channels.newInputStream(in.channel());
                    for (int n; (n = read.readNBytes(buffer, 0, buffer.length)) > 0; ) {
                        z.write(buffer, 0, n);
                        if (stopped.getAsBoolean()) throw new CollectionStopped();
                    }
                    z.closeArchiveEntry();
                    zipped++;
                } catch (WorkspaceFiles.Gone gone) {
                    leftOut.add(io.stoker.engine.files.SlashPath.of(f.relative()) + ": " + gone.getMessage());
                }
            }
            complete = true;
        } finally {
            if (!complete || zipped == 0) zip.toFile().delete(); // a zip cut short must not pass for a whole one
        }
        return new CollectedArtifacts(zipped, leftOut);
    }

    /** The file-type bits of a regular file in a Unix mode ({@code S_IFREG}). */
    private static final int REGULAR_FILE = 0100000;

    /**
     * The globs that match none of {@code paths} (a zip's entry names): a typo in one of several patterns would
     * otherwise go unnoticed while the others find their files.
     */
    public static List<String> unmatched(List<String> globs, Collection<String> paths) {
        List<Path> rels = paths.stream().map(Path::of).toList();
        return globs.stream().filter(glob -> rels.stream().noneMatch(Glob.of(glob)::matches)).toList();
    }

    /**
     * The path as the globs see it: the JDK's glob turns {@code **} into a regular expression whose {@code .} stops
     * at a line break, so a file named with a newline in it was left out of {@code dist/**} without a word. No glob
     * can name a line break itself, so each is seen as a space.
     */
    private static Path matchable(Path rel) {
        java.util.regex.Matcher breaks = LINE_BREAKS.matcher(rel.toString());
        return breaks.find() ? rel.getFileSystem().getPath(breaks.replaceAll(" ")) : rel;
    }

    /** What a regular expression's {@code .} does not match. */
    private static final java.util.regex.Pattern LINE_BREAKS = java.util.regex.Pattern.compile("[\\n\\r\\u0085\\u2028\\u2029]");

    /**
     * One pattern: its glob and each form of it with a double-star-slash step matching no directory, or a directory
     * it names. The JDK's {@code reports/**}{@code /*.xml} wants at least one directory between, so it left out
     * {@code reports/a.xml}, which Ant (Jenkins' archiveArtifacts), GitLab and GitHub Actions all match.
     */
    private record Glob(List<PathMatcher> matchers, String dir) {
        /** Enough for any pattern a person writes; a pattern with more such steps keeps the forms found first. */
        private static final int MAX_FORMS = 64;

        static Glob of(String glob) {
            var fs = FileSystems.getDefault();
            String g = glob.startsWith("./") ? glob.substring(2) : glob;
            List<PathMatcher> matchers = new ArrayList<>();
            for (String form : forms(g)) matchers.add(fs.getPathMatcher("glob:" + form));
            return new Glob(matchers, g.endsWith("/") ? g.substring(0, g.length() - 1) : g);
        }

        /** The glob, and the glob less each combination of its double-star-slash steps. */
        private static Set<String> forms(String glob) {
            var forms = new LinkedHashSet<String>();
            forms.add(glob);
            var todo = new ArrayDeque<String>(forms);
            // bounded: each form found is shorter than the one it came from, and there are at most MAX_FORMS
            while (!todo.isEmpty() && forms.size() < MAX_FORMS) {
                String form = todo.poll();
                for (int i = form.indexOf("**/"); i >= 0; i = form.indexOf("**/", i + 1)) {
                    if (i > 0 && form.charAt(i - 1) != '/') continue; // a**/ is not a step of its own
                    String shorter = form.substring(0, i) + form.substring(i + 3);
                    if (forms.size() < MAX_FORMS && forms.add(shorter)) todo.add(shorter);
                }
            }
            return forms;
        }

        boolean matches(Path rel) {
            Path seen = matchable(rel);
            for (PathMatcher m : matchers) if (m.matches(seen)) return true;
            return !dir.isEmpty() && !dir.contains("*") && rel.toString().startsWith(dir + "/");
        }
    }
}
