package io.stoker.server.git;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a push changed, read from a project's mirror after it was synced: the files that differ between the commit
 * before the push and the pushed one (what a path filter needs when the host's payload does not list them), and
 * the pushed commit's message.
 */
public final class MirrorChanges {
    private final GitMirrors mirrors;

    public MirrorChanges(GitMirrors mirrors) {
        this.mirrors = mirrors;
    }

    /**
     * The paths that differ between {@code before} and {@code after} (added, removed, modified, both sides of a
     * rename); empty when {@code before} is not in the mirror (a new branch, or history rewritten beyond it).
     */
    /**
     * The files a pull request changes: from where its head forks off the target branch (their merge base, as the
     * host's "Files changed" shows) to its head; empty when the mirror has no such branch or no common history.
     */
    public Optional<List<String>> ofPullRequest(String project, String targetBranch, String head) {
        String base;
        try (Repository repo = open(project); RevWalk walk = new RevWalk(repo)) {
            org.eclipse.jgit.lib.Ref target = repo.exactRef("refs/heads/" + targetBranch);
            if (target == null) return Optional.empty();
            walk.setRevFilter(org.eclipse.jgit.revwalk.filter.RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(target.getObjectId()));
            walk.markStart(walk.parseCommit(ObjectId.fromString(head)));
            RevCommit mergeBase = walk.next();
            if (mergeBase == null) return Optional.empty();
            base = mergeBase.name();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // unknown: the filters are not applied, and the reply says so
        }
        return between(project, base, head);
    }

    public Optional<List<String>> between(String project, String before, String after) {
        if (before == null) return Optional.empty();
        try (Repository repo = open(project); RevWalk walk = new RevWalk(repo)) {
            RevCommit from;
            try {
                from = walk.parseCommit(ObjectId.fromString(before));
            } catch (IOException | IllegalArgumentException gone) {
                return Optional.empty();
            }
            RevCommit to = walk.parseCommit(ObjectId.fromString(after));
            try (TreeWalk tw = new TreeWalk(repo)) {
                tw.setRecursive(true);
                tw.setFilter(TreeFilter.ANY_DIFF);
                tw.addTree(from.getTree());
                tw.addTree(to.getTree());
                Set<String> paths = new LinkedHashSet<>();
                for (DiffEntry e : DiffEntry.scan(tw)) {
                    if (!e.getOldPath().equals(DiffEntry.DEV_NULL)) paths.add(e.getOldPath());
                    if (!e.getNewPath().equals(DiffEntry.DEV_NULL)) paths.add(e.getNewPath());
                }
                return Optional.of(List.copyOf(paths));
            }
        } catch (IOException e) {
            throw new GitMirrorException("project '" + project + "': cannot compare " + before + ".." + after
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * True when {@code after} no longer has {@code before} in its history (a force push), or {@code before} is not in
     * the mirror: the commits a host lists for such a push are those new to the branch, not what changed from
     * {@code before}. GitLab and Gitea do not say a push was forced; the mirror does.
     */
    public boolean rewritten(String project, String before, String after) {
        if (before == null) return false;
        try (Repository repo = open(project); RevWalk walk = new RevWalk(repo)) {
            RevCommit from;
            try {
                from = walk.parseCommit(ObjectId.fromString(before));
            } catch (IOException | IllegalArgumentException gone) {
                return true;
            }
            return !walk.isMergedInto(from, walk.parseCommit(ObjectId.fromString(after)));
        } catch (IOException e) {
            throw new GitMirrorException("project '" + project + "': cannot compare " + before + ".." + after
                    + ": " + e.getMessage(), e);
        }
    }

    /** The full message of a commit in the mirror. */
    public String message(String project, String commit) {
        try (Repository repo = open(project); RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(ObjectId.fromString(commit)).getFullMessage();
        } catch (IOException e) {
            throw new GitMirrorException("project '" + project + "': cannot read commit " + commit + ": "
                    + e.getMessage(), e);
        }
    }

    private Repository open(String project) throws IOException {
        return new FileRepositoryBuilder().setGitDir(mirrors.mirrorDir(project).toFile()).setMustExist(true).build();
    }
}
