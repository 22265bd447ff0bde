package io.stoker.server.git;

import io.stoker.engine.files.FileTrees;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.NameConflictTreeWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.lib.CoreConfig.EolStreamType;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Turns a used checkout into a fresh checkout of another (or the same) commit with the cost of what changed, not
 * of the whole tree — {@code git clean -fdx}, {@code git checkout --force COMMIT} and a new {@code .git} in one:
 * <ol>
 *   <li>every path whose status differs from when the checkout was handed out, and every path that was not
 *   in it, is removed (symbolic links are removed, never followed);</li>
 *   <li>what differs between the two commits' trees is removed and written (equal subtrees are skipped whole);</li>
 *   <li>paths removed in 1 that the new commit has are written again;</li>
 *   <li>{@code .git} is emptied but for pack files nobody touched, and written again (see {@link WorkspaceGitDir}).</li>
 * </ol>
 */
final class CheckoutUpdate {
    /** Each update adds a pack (and its index): past this many files {@code .git} is written whole again. */
    private static final int MAX_PACK_FILES = 24;

    private final Repository mirror;
    private final Path base;
    private final CachedCheckout before;
    private final NavigableMap<String, FileStat> files = new TreeMap<>();
    /** The tree being checked out: its {@code .gitattributes} decide each written file's line endings. */
    private RevTree next;

    CheckoutUpdate(Repository mirror, Path base, CachedCheckout before) {
        this.mirror = mirror;
        this.base = base;
        this.before = before;
    }

    CachedCheckout to(RevCommit c, RevTree previous, String branch, String url) throws IOException {
        next = c.getTree();
        sweep(base, "");
        try (ObjectReader reader = mirror.newObjectReader()) {
            applyDiff(reader, previous, c.getTree());
            restoreRemoved(reader, c.getTree());
        }
        boolean packsKept = sweepGitDir();
        var packs = WorkspaceGitDir.write(mirror, c, branch, url, base, files, packsKept ? previous : null);
        return new CachedCheckout(c.name(), files, packs);
    }

    /** Step 1: keeps what is untouched (into {@link #files}), removes the rest. */
    private void sweep(Path dir, String prefix) throws IOException {
        for (Path p : TreeStats.list(dir)) {
            String name = p.getFileName().toString();
            if (prefix.isEmpty() && name.equals(Constants.DOT_GIT)) continue;
            String rel = prefix + name;
            FileStat expected = before.files().get(rel);
            FileStat now = FileStat.of(p);
            if (expected != null && expected.unchanged(now)) {
                files.put(rel, expected);
                if (now.isDirectory()) sweep(p, rel + "/");
            } else {
                FileTrees.delete(p);
            }
        }
    }

    /** Step 2: what the new tree changes against the old one; directories are entered only when they were kept. */
    private void applyDiff(ObjectReader reader, RevTree previous, RevTree next) throws IOException {
        try (TreeWalk tw = new NameConflictTreeWalk(reader)) {
            tw.addTree(previous);
            tw.addTree(next);
            tw.setFilter(TreeFilter.ANY_DIFF);
            tw.setRecursive(false);
            while (tw.next()) {
                String rel = tw.getPathString();
                FileMode was = tw.getFileMode(0);
                FileMode is = tw.getFileMode(1);
                FileStat kept = files.get(rel);
                if (was == FileMode.TREE && is == FileMode.TREE && kept != null && kept.isDirectory()) {
                    tw.enterSubtree();
                    continue;
                }
                remove(rel);
                if (is != FileMode.MISSING) write(reader, rel, is, tw.getObjectId(1));
            }
        }
    }

    /** Step 3: paths of the old checkout the run changed or removed, written from the new tree when it has them. */
    private void restoreRemoved(ObjectReader reader, RevTree next) throws IOException {
        for (String rel : new ArrayList<>(before.files().keySet())) {
            if (files.containsKey(rel)) continue;
            int slash = rel.lastIndexOf('/');
            if (slash > 0) {
                FileStat parent = files.get(rel.substring(0, slash));
                if (parent == null || !parent.isDirectory()) continue; // the parent is gone with the new tree, or was written whole
            }
            try (TreeWalk tw = TreeWalk.forPath(reader, rel, next)) {
                if (tw != null) write(reader, rel, tw.getFileMode(0), tw.getObjectId(0));
            }
        }
    }

    private void remove(String rel) throws IOException {
        FileTrees.delete(base.resolve(rel));
        TreeStats.removeTree(files, rel);
    }

    /** Writes one entry of the new tree (a directory with everything under it) and records its status. */
    private void write(ObjectReader reader, String rel, FileMode mode, AnyObjectId id) throws IOException {
        Path target = GitMirrors.safeTarget(base, rel);
        if (mode == FileMode.TREE || mode == FileMode.GITLINK) {
            Files.createDirectory(target);
            files.put(rel, FileStat.of(target));
            if (mode == FileMode.GITLINK) return; // a submodule: an empty directory, as export writes it
            try (TreeWalk tw = new TreeWalk(reader)) {
                tw.addTree(id);
                tw.setRecursive(false);
                while (tw.next()) write(reader, rel + "/" + tw.getNameString(), tw.getFileMode(0), tw.getObjectId(0));
            }
            return;
        }
        if (mode == FileMode.SYMLINK) {
            String link = new String(reader.open(id).getCachedBytes(4096), StandardCharsets.UTF_8);
            Files.createSymbolicLink(target, Path.of(link));
        } else {
            GitMirrors.writeFile(reader.open(id), target, mode == FileMode.EXECUTABLE_FILE, eol(rel));
        }
        files.put(rel, FileStat.of(target));
    }

    /** The line endings the new tree's attributes give {@code rel}, read from the root down as a checkout does. */
    private EolStreamType eol(String rel) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(mirror, rel, next)) {
            return tw == null ? EolStreamType.DIRECT : tw.getEolStreamType(TreeWalk.OperationType.CHECKOUT_OP);
        }
    }

    /**
     * Step 4's first half: empties {@code .git} but for its pack files, when all of them are as they were handed out.
     *
     * @return true when the packs were kept (the new {@code .git} adds to them), false when {@code .git} is gone
     */
    private boolean sweepGitDir() throws IOException {
        Path gitDir = base.resolve(Constants.DOT_GIT);
        Path packDir = gitDir.resolve("objects/pack");
        boolean intact = Files.isDirectory(gitDir, LinkOption.NOFOLLOW_LINKS)
                && Files.isDirectory(gitDir.resolve("objects"), LinkOption.NOFOLLOW_LINKS)
                && Files.isDirectory(packDir, LinkOption.NOFOLLOW_LINKS);
        Map<String, FileStat> found = new TreeMap<>();
        if (intact) {
            for (Path p : TreeStats.list(packDir)) found.put(p.getFileName().toString(), FileStat.of(p));
            intact = found.size() <= MAX_PACK_FILES && found.keySet().equals(before.packs().keySet())
                    && before.packs().entrySet().stream().allMatch(e -> e.getValue().unchanged(found.get(e.getKey())));
        }
        if (!intact) {
            FileTrees.delete(gitDir);
            return false;
        }
        // JGit creates objects/ itself: the packs wait beside it while the rest of .git goes
        Files.move(packDir, gitDir.resolve(WorkspaceGitDir.KEPT_PACKS), StandardCopyOption.ATOMIC_MOVE);
        for (Path p : TreeStats.list(gitDir)) {
            if (!p.getFileName().toString().equals(WorkspaceGitDir.KEPT_PACKS)) FileTrees.delete(p);
        }
        return true;
    }
}
