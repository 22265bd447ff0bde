package io.stoker.server.git;

import io.stoker.engine.files.FileTrees;
import io.stoker.engine.files.OwnedDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run workspaces of git projects made from the project's earlier checkouts instead of a full export each time.
 * A run's workspace is {@link #checkout checked out}; when the run is over it is {@link #release released} and kept
 * (renamed under the pool's directory, up to {@code keep} per project) together with the status of every path it had
 * when handed out. The next run of the project takes one over (a rename) and {@link CheckoutUpdate} makes it a clean
 * checkout of the new commit: what the run wrote or changed is removed or written again, what the two commits differ
 * in is written, the rest stays. Two runs starting at once never share one: each takes a different kept checkout, or
 * makes a fresh one. The pool lives in memory and keeps its checkouts in a directory of its own under the root, held
 * while the process runs ({@link OwnedDirectory}): a start deletes what processes gone left there, never the kept
 * checkouts of another live server of the cluster sharing the data directory.
 */
public final class CheckoutPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckoutPool.class);

    private final GitMirrors mirrors;
    private final OwnedDirectory own;
    private final Path root;
    private final int keep;
    private final Map<String, Deque<Kept>> idle = new HashMap<>();
    private final Map<Path, Lent> lent = new ConcurrentHashMap<>();
    private final AtomicLong names = new AtomicLong();

    private record Kept(Path dir, CachedCheckout checkout) {
    }

    private record Lent(String project, CachedCheckout checkout) {
    }

    /**
     * A pool keeping up to {@code keep} checkouts per project under {@code root}, which must be on the file system of
     * the workspaces (a checkout moves by renaming); what processes gone left under {@code root} is deleted now.
     */
    public CheckoutPool(GitMirrors mirrors, Path root, int keep) {
        this.mirrors = mirrors;
        try {
            this.own = OwnedDirectory.claim(root);
        } catch (IOException e) {
            throw new GitMirrorException("cannot make the kept checkouts' directory under " + root + ": "
                    + e.getMessage(), e);
        }
        this.root = own.dir();
        this.keep = keep;
    }

    /**
     * Makes {@code workspace} (an empty or missing directory) a checkout of {@code commit} as
     * {@link GitMirrors#checkout} does, from a kept checkout of the project when there is one.
     */
    public void checkout(String project, String commit, String branch, String url, Path workspace) {
        Kept kept = take(project);
        if (kept != null) {
            try {
                Files.createDirectories(workspace.getParent());
                if (Files.exists(workspace)) Files.delete(workspace); // RunStarter made it; a rename needs it gone
                Files.move(kept.dir(), workspace, StandardCopyOption.ATOMIC_MOVE);
                lent.put(workspace, new Lent(project, mirrors.updateCheckout(project, kept.checkout(), commit, branch,
                        url, workspace)));
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("project '{}': reusing a checkout for {} failed, exporting it whole: {}", project, commit,
                        e.toString());
                FileTrees.deleteQuietly(kept.dir());
                try {
                    FileTrees.deleteContents(workspace);
                } catch (IOException cleanup) {
                    throw new GitMirrorException("project '" + project + "': cannot empty " + workspace + ": "
                            + cleanup.getMessage(), cleanup);
                }
            }
        }
        lent.put(workspace, new Lent(project, mirrors.fullCheckout(project, commit, branch, url, workspace)));
    }

    /**
     * The run that used {@code workspace} is over: the checkout is kept for the project's next run, or deleted when
     * the pool holds enough of them or it was not made by {@link #checkout}.
     */
    public void release(Path workspace) {
        Lent was = lent.remove(workspace);
        if (was != null && Files.isDirectory(workspace)) {
            Path dir = root.resolve(Long.toString(names.incrementAndGet()));
            try {
                Files.createDirectories(root);
                Files.move(workspace, dir, StandardCopyOption.ATOMIC_MOVE);
                if (offer(was.project(), new Kept(dir, was.checkout()))) return;
                workspace = dir;
            } catch (IOException e) {
                LOG.warn("cannot keep the checkout in {}: {}", workspace, e.toString());
            }
        }
        FileTrees.deleteQuietly(workspace);
    }

    /** Deletes the project's kept checkouts (the project is gone). */
    public void forget(String project) {
        Deque<Kept> gone;
        synchronized (idle) {
            gone = idle.remove(project);
        }
        if (gone != null) gone.forEach(k -> FileTrees.deleteQuietly(k.dir()));
    }

    /** Lets go of the pool's directory: the next start of a server on this data directory deletes it. */
    @Override
    public void close() throws IOException {
        own.close();
    }

    private Kept take(String project) {
        synchronized (idle) {
            Deque<Kept> kept = idle.get(project);
            return kept == null ? null : kept.pollFirst();
        }
    }

    private boolean offer(String project, Kept kept) {
        synchronized (idle) {
            Deque<Kept> all = idle.computeIfAbsent(project, p -> new ArrayDeque<>());
            if (all.size() >= keep) return false;
            all.addFirst(kept); // the newest first: its commit is likely the nearest to the next run's
            return true;
        }
    }
}
