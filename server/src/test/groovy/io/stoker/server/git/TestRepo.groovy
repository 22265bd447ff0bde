package io.stoker.server.git

import org.eclipse.jgit.api.Git
import org.eclipse.jgit.dircache.DirCache
import org.eclipse.jgit.dircache.DirCacheEntry
import org.eclipse.jgit.lib.CommitBuilder
import org.eclipse.jgit.lib.Constants
import org.eclipse.jgit.lib.FileMode
import org.eclipse.jgit.lib.ObjectId
import org.eclipse.jgit.lib.PersonIdent
import org.eclipse.jgit.lib.RefUpdate
import org.eclipse.jgit.lib.Repository
import org.eclipse.jgit.lib.TagBuilder
import org.eclipse.jgit.revwalk.RevWalk
import org.eclipse.jgit.treewalk.TreeWalk

import java.nio.file.Path

/**
 * A bare source repository built in code with JGit (no working tree, no git CLI): commits set files with exact
 * modes, so specs control executables and symlinks. Serve it with {@code file://} ({@link #url()}) or put it
 * under a {@link GitHttpServer} root.
 */
class TestRepo implements Closeable {
    /** Marks a file content as executable (mode 100755). */
    static Map exec(String text) { [exec: text] }

    /** Marks a file content as a symbolic link to {@code target}. */
    static Map link(String target) { [link: target] }

    final Path dir
    final Repository repo
    private long time = 1_700_000_000L

    private TestRepo(Path dir) {
        this.dir = dir
        this.repo = Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch('main').call().repository
        repo.config.setBoolean('http', null, 'receivepack', true)
        repo.config.save()
    }

    /** A new, empty bare repository at {@code dir} (default branch {@code main}). */
    static TestRepo create(Path dir) {
        new TestRepo(dir)
    }

    String url() {
        dir.toUri().toString()
    }

    /**
     * Commits on {@code branch} (created from nothing if missing) the parent's tree changed by {@code files}:
     * path → String (regular file), {@link #exec}, {@link #link}, or null (delete). Returns the commit SHA.
     */
    String commit(String branch, String message, Map<String, Object> files) {
        def inserter = repo.newObjectInserter()
        try {
            ObjectId parent = repo.resolve(Constants.R_HEADS + branch)
            Map<String, DirCacheEntry> entries = new TreeMap<>()
            if (parent != null) {
                new RevWalk(repo).withCloseable { walk ->
                    def tw = new TreeWalk(repo)
                    tw.addTree(walk.parseCommit(parent).tree)
                    tw.recursive = true
                    while (tw.next()) {
                        def e = new DirCacheEntry(tw.pathString)
                        e.fileMode = tw.getFileMode(0)
                        e.setObjectId(tw.getObjectId(0))
                        entries[tw.pathString] = e
                    }
                }
            }
            files.each { String path, Object content ->
                if (content == null) {
                    entries.remove(path)
                    return
                }
                def e = new DirCacheEntry(path)
                String text
                if (content instanceof Map && content.exec != null) {
                    e.fileMode = FileMode.EXECUTABLE_FILE
                    text = content.exec
                } else if (content instanceof Map && content.link != null) {
                    e.fileMode = FileMode.SYMLINK
                    text = content.link
                } else {
                    e.fileMode = FileMode.REGULAR_FILE
                    text = content as String
                }
                e.setObjectId(inserter.insert(Constants.OBJ_BLOB, text.getBytes('UTF-8')))
                entries[path] = e
            }
            def index = DirCache.newInCore()
            def builder = index.builder()
            entries.values().each { builder.add(it) }
            builder.finish()
            def cb = new CommitBuilder()
            cb.treeId = index.writeTree(inserter)
            if (parent != null) {
                cb.setParentId(parent)
            }
            def who = new PersonIdent('Test', 'test@example.com', new Date((time++) * 1000), TimeZone.getTimeZone('UTC'))
            cb.author = who
            cb.committer = who
            cb.message = message
            ObjectId id = inserter.insert(cb)
            inserter.flush()
            updateRef(Constants.R_HEADS + branch, id)
            id.name()
        } finally {
            inserter.close()
        }
    }

    /** A lightweight tag ({@code annotated: false}) or an annotated tag on a commit. */
    void tag(String name, String commit, boolean annotated = false) {
        ObjectId target = ObjectId.fromString(commit)
        if (annotated) {
            repo.newObjectInserter().withCloseable { ins ->
                def tb = new TagBuilder()
                tb.tag = name
                tb.setObjectId(target, Constants.OBJ_COMMIT)
                tb.tagger = new PersonIdent('Test', 'test@example.com')
                tb.message = "release $name"
                target = ins.insert(tb)
                ins.flush()
            }
        }
        updateRef(Constants.R_TAGS + name, target)
    }

    /** Points {@code branch} at {@code commit} whatever it held: with a commit on top, what a force push leaves. */
    void reset(String branch, String commit) {
        updateRef(Constants.R_HEADS + branch, ObjectId.fromString(commit))
    }

    void deleteBranch(String branch) {
        def u = repo.updateRef(Constants.R_HEADS + branch)
        u.forceUpdate = true
        assert u.delete() in [RefUpdate.Result.FORCED, RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.NO_CHANGE]
    }

    private void updateRef(String name, ObjectId id) {
        def u = repo.updateRef(name)
        u.newObjectId = id
        u.forceUpdate = true
        def result = u.update()
        assert result in [RefUpdate.Result.NEW, RefUpdate.Result.FORCED, RefUpdate.Result.FAST_FORWARD,
                          RefUpdate.Result.NO_CHANGE]
    }

    @Override
    void close() {
        repo.close()
    }
}
