package io.stoker.bench;

import io.stoker.engine.files.FileTrees;
import io.stoker.server.git.CheckoutPool;
import io.stoker.server.git.GitMirrors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A git project's run-start cost: the run's workspace as a full export of a commit (tree plus a shallow {@code .git},
 * what every run paid before) against one made from the project's kept checkout ({@link CheckoutPool}), for the same
 * commit and for a next commit that changes 1 in 500 files. The repository is generated: N files of ~150 bytes in
 * directories of 100, a few executables and symbolic links.
 */
final class GitWorkspaces {
    private final Settings settings;

    GitWorkspaces(Settings settings) {
        this.settings = settings;
    }

    Table measure(Path dir) throws Exception {
        int files = settings.gitFiles();
        Path repoDir = dir.resolve("source.git");
        String first;
        String second;
        try (Repository repo = Git.init().setBare(true).setDirectory(repoDir.toFile()).setInitialBranch("main").call()
                .getRepository()) {
            first = commit(repo, files, 0, null);
            second = commit(repo, files, 1, first);
        }
        GitMirrors mirrors = new GitMirrors(dir.resolve("data/git"));
        mirrors.sync("big", repoDir.toUri().toString(), null);
        CheckoutPool pool = new CheckoutPool(mirrors, dir.resolve("data/checkouts"), 2);
        Path workspaces = Files.createDirectories(dir.resolve("data/workspaces"));

        List<Long> full = new ArrayList<>();
        List<Long> same = new ArrayList<>();
        List<Long> next = new ArrayList<>();
        for (int round = 0; round < settings.warmups() + settings.rounds(); round++) {
            Path ws = workspaces.resolve("full-" + round);
            long t0 = System.nanoTime();
            mirrors.checkout("big", first, "main", null, ws);
            long t1 = System.nanoTime();
            FileTrees.delete(ws);
            if (round >= settings.warmups()) full.add(t1 - t0);
        }
        Path ws = workspaces.resolve("run-0");
        pool.checkout("big", first, "main", null, ws); // the project's first run: a full export, kept after
        int run = 0;
        for (int round = 0; round < settings.warmups() + settings.rounds(); round++) {
            for (String commit : List.of(first, second)) {
                buildOutput(ws); // what a run leaves: the next checkout removes it
                pool.release(ws);
                ws = workspaces.resolve("run-" + ++run);
                Files.createDirectories(ws); // as RunStarter makes it
                long t0 = System.nanoTime();
                pool.checkout("big", commit, "main", null, ws);
                long t1 = System.nanoTime();
                if (round >= settings.warmups()) (commit.equals(first) ? same : next).add(t1 - t0);
            }
        }
        pool.release(ws);

        double fullMs = Samples.ms(Samples.of(full).median());
        Table table = new Table("Git workspaces: run start of a git project, " + files + " files (median of "
                + settings.rounds() + " rounds after " + settings.warmups() + " warm-up)",
                "workspace", "ms", "of a full export");
        table.row("full export (tree + shallow .git)", Table.fmt(fullMs), "1.00");
        for (var e : List.of(java.util.Map.entry("kept checkout, same commit", same),
                java.util.Map.entry("kept checkout, next commit (" + files / 500 + " files changed)", next))) {
            double ms = Samples.ms(Samples.of(e.getValue()).median());
            table.row(e.getKey(), Table.fmt(ms), String.format("%.2f", ms / fullMs));
        }
        return table.note("full = GitMirrors.checkout into an empty directory (every run before kept checkouts);")
                .note("kept = CheckoutPool.checkout after the previous run released its workspace with 20 build files"
                        + " and one edited tracked file in it (all checked by lstat, removed or written again).");
    }

    /** A commit of {@code files} files; {@code generation} 1 changes every 500th file's content. */
    private static String commit(Repository repo, int files, int generation, String parent) throws Exception {
        try (ObjectInserter inserter = ((ObjectDirectory) repo.getObjectDatabase()).newPackInserter()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            for (int i = 0; i < files; i++) {
                String path = String.format("module%03d/src/file%05d.txt", i / 100, i);
                int version = generation > 0 && i % 500 == 7 ? generation : 0;
                String text = ("line of file " + i + " version " + version + "\n").repeat(6);
                DirCacheEntry e = new DirCacheEntry(path);
                if (i % 1000 == 3) {
                    e.setFileMode(FileMode.SYMLINK);
                    e.setObjectId(inserter.insert(Constants.OBJ_BLOB, "file00000.txt".getBytes(StandardCharsets.UTF_8)));
                } else {
                    e.setFileMode(i % 1000 == 5 ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
                    e.setObjectId(inserter.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8)));
                }
                builder.add(e);
            }
            builder.finish();
            CommitBuilder cb = new CommitBuilder();
            cb.setTreeId(index.writeTree(inserter));
            if (parent != null) cb.setParentId(ObjectId.fromString(parent));
            PersonIdent who = new PersonIdent("Bench", "bench@example.org");
            cb.setAuthor(who);
            cb.setCommitter(who);
            cb.setMessage("generation " + generation);
            ObjectId id = inserter.insert(cb);
            inserter.flush();
            RefUpdate ru = repo.updateRef(Constants.R_HEADS + "main");
            ru.setNewObjectId(id);
            ru.forceUpdate();
            return id.name();
        }
    }

    private static void buildOutput(Path ws) throws Exception {
        Path out = Files.createDirectories(ws.resolve("build/classes"));
        for (int i = 0; i < 20; i++) Files.writeString(out.resolve("C" + i + ".class"), "compiled " + i);
        Files.writeString(ws.resolve("module000/src/file00000.txt"), "edited by the run\n");
    }
}
