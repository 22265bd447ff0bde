package io.stoker.engine.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a task left in its workspace, as the server reads them (artifacts, files published in an image): never
 * through a symbolic link that leads out of the workspace. A task in a container runs without the server's rights,
 * yet could otherwise link {@code dist/key} to the server's master key and have it zipped into its artifacts.
 */
public final class WorkspaceFiles {
    private WorkspaceFiles() {
    }

    /**
     * A file found in the workspace.
     *
     * @param relative its path in the workspace (a link's own path, not its target's)
     * @param source   what to read: the file itself, or the file inside the workspace its link points to
     */
    public record Entry(Path relative, Path source) {
    }

    /**
     * Every regular file under {@code workspace}, and every link to one that stays inside it, sorted by path; links
     * leading out of the workspace, to directories or to nothing are left out (directory links are not followed).
     */
    public static List<Entry> regular(Path workspace) throws IOException {
        Path root = workspace.toRealPath();
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(workspace)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path relative = workspace.relativize(p);
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new Entry(relative, p));
                } else if (Files.isSymbolicLink(p)) {
                    inside(root, p).ifPresent(target -> out.add(new Entry(relative, target)));
                }
            }
        }
        out.sort(Comparator.comparing(Entry::relative));
        return out;
    }

    private static java.util.Optional<Path> inside(Path root, Path link) {
        try {
            Path target = link.toRealPath();
            return target.startsWith(root) && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                    ? java.util.Optional.of(target) : java.util.Optional.empty();
        } catch (IOException dangling) {
            return java.util.Optional.empty();
        }
    }
}
