package io.stoker.server.git;

import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code .git} of a run's workspace: self-contained and shallow (the commit and the objects of its tree in packs,
 * {@code shallow} naming the commit), HEAD detached at it, the branch pointing at it, {@code origin} set, and an index
 * holding the tree with the files' status so {@code git status} is clean. Not an alternate onto the mirror: the
 * workspace is copied to SSH agents, where the mirror's path does not exist.
 */
final class WorkspaceGitDir {
    /** Where {@link CheckoutUpdate} keeps the packs of {@code .git/objects/pack} while the rest is written anew. */
    static final String KEPT_PACKS = "stoker-kept-packs";

    private WorkspaceGitDir() {
    }

    /**
     * Writes {@code dir/.git} for {@code c}, whose tree is already in {@code dir} with status {@code files}. When
     * {@code packed} is not null, {@code .git/}{@value #KEPT_PACKS} holds the packs of that tree (and nothing else is
     * left in {@code .git}): they become {@code objects/pack} again, and only what {@code c} adds is packed anew.
     *
     * @return the status of every pack file, to tell later that nothing touched them
     */
    static Map<String, FileStat> write(Repository mirror, RevCommit c, String branch, String url, Path dir,
                                       Map<String, FileStat> files, RevTree packed) throws IOException {
        Path gitDir = dir.resolve(Constants.DOT_GIT);
        try (Repository ws = FileRepositoryBuilder.create(gitDir.toFile())) {
            ws.create(false);
            if (packed != null) {
                Path packDir = gitDir.resolve("objects/pack");
                Files.delete(packDir); // just made, empty
                Files.move(gitDir.resolve(KEPT_PACKS), packDir, StandardCopyOption.ATOMIC_MOVE);
            }
            copyObjects(mirror, ws, c, packed);
            Files.writeString(gitDir.resolve("shallow"), c.name() + "\n", StandardCharsets.US_ASCII);
            if (branch != null && Repository.isValidRefName(Constants.R_HEADS + branch)) {
                RefUpdate ru = ws.updateRef(Constants.R_HEADS + branch);
                ru.setNewObjectId(c);
                ru.forceUpdate();
            }
            RefUpdate head = ws.updateRef(Constants.HEAD, true);
            head.setNewObjectId(c);
            head.forceUpdate();
            if (url != null) {
                StoredConfig config = ws.getConfig();
                config.setString("remote", "origin", "url", url);
                config.save();
            }
            writeIndex(ws, c, files);
        }
        Map<String, FileStat> packs = new TreeMap<>();
        for (Path p : TreeStats.list(gitDir.resolve("objects/pack"))) packs.put(p.getFileName().toString(), FileStat.of(p));
        return packs;
    }

    /** The index: the commit's tree with the files' sizes and times, so the files just written read as clean. */
    private static void writeIndex(Repository ws, RevCommit c, Map<String, FileStat> files) throws IOException {
        DirCache index = ws.lockDirCache();
        try (ObjectReader reader = ws.newObjectReader()) {
            DirCacheBuilder builder = index.builder();
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, c.getTree());
            builder.finish();
            for (int i = 0; i < index.getEntryCount(); i++) {
                DirCacheEntry e = index.getEntry(i);
                FileStat stat = files.get(e.getPathString());
                if (e.getFileMode() == FileMode.GITLINK || stat == null) continue;
                e.setLength(stat.size());
                e.setLastModified(java.time.Instant.ofEpochMilli(stat.modifiedMillis()));
            }
            index.write(); // into the lock file, which commit renames (without it the index was left empty)
            if (!index.commit()) throw new IOException("cannot write the index");
        } finally {
            index.unlock();
        }
    }

    /**
     * Copies the commit and the objects of its tree from the mirror into {@code ws} as one pack; with {@code packed},
     * only the trees and blobs that differ from that tree's.
     */
    private static void copyObjects(Repository mirror, Repository ws, RevCommit c, RevTree packed) throws IOException {
        try (ObjectReader reader = mirror.newObjectReader();
             ObjectInserter inserter = ((ObjectDirectory) ws.getObjectDatabase()).newPackInserter();
             TreeWalk tw = new TreeWalk(reader)) {
            copy(reader, inserter, c);
            copy(reader, inserter, c.getTree());
            int side = 0;
            if (packed != null) {
                tw.addTree(packed);
                tw.setFilter(TreeFilter.ANY_DIFF); // subtrees equal to the packed ones are skipped whole
                side = 1;
            }
            tw.addTree(c.getTree());
            tw.setRecursive(false);
            Set<ObjectId> seen = new HashSet<>();
            while (tw.next()) {
                FileMode mode = tw.getFileMode(side);
                if (mode == FileMode.MISSING || mode == FileMode.GITLINK) continue; // gone, or another repository's
                ObjectId id = tw.getObjectId(side);
                if (seen.add(id)) copy(reader, inserter, id);
                if (mode == FileMode.TREE) tw.enterSubtree();
            }
            inserter.flush();
        }
    }

    private static void copy(ObjectReader reader, ObjectInserter inserter, AnyObjectId id) throws IOException {
        ObjectLoader loader = reader.open(id);
        try (var in = loader.openStream()) {
            inserter.insert(loader.getType(), loader.getSize(), in);
        }
    }
}
