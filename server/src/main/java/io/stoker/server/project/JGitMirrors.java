package io.stoker.server.project;

import io.stoker.dsl.JobfileCompiler;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One bare mirror per git URL under {@code <data>/git/<sha-256 of the URL>.git}, fetched with JGit. Fetches of the
 * same URL are serialised; different URLs fetch in parallel.
 */
public final class JGitMirrors implements GitProjects {
    private static final long MAX_JOBFILE_BYTES = 1 << 20;

    private final Path root;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public JGitMirrors(Path root) {
        this.root = root;
    }

    @Override
    public String resolve(String gitUrl, String ref) throws IOException {
        synchronized (locks.computeIfAbsent(gitUrl, u -> new Object())) {
            try (Repository repo = mirror(gitUrl); Git git = new Git(repo)) {
                git.fetch().setRemote(gitUrl).setRemoveDeletedRefs(true)
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                        .call();
                ObjectId id = repo.resolve(ref + "^{commit}");
                if (id == null) throw new IOException("no branch, tag or commit '" + ref + "' in " + gitUrl);
                return id.name();
            } catch (GitAPIException e) {
                throw new IOException("cannot fetch " + gitUrl + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Optional<JobfileText> readJobfile(String gitUrl, String commit) throws IOException {
        try (Repository repo = mirror(gitUrl); RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            for (String name : JobfileCompiler.NAMES) {
                try (TreeWalk tw = TreeWalk.forPath(repo, name, c.getTree())) {
                    if (tw == null || !FileMode.REGULAR_FILE.equals(tw.getFileMode(0))
                            && !FileMode.EXECUTABLE_FILE.equals(tw.getFileMode(0))) continue;
                    var loader = repo.open(tw.getObjectId(0), Constants.OBJ_BLOB);
                    if (loader.getSize() > MAX_JOBFILE_BYTES) throw new IOException(name + " is larger than 1 MiB");
                    return Optional.of(new JobfileText(name, new String(loader.getBytes(), StandardCharsets.UTF_8)));
                }
            }
            return Optional.empty();
        }
    }

    @Override
    public void export(String gitUrl, String commit, Path target) throws IOException {
        try (Repository repo = mirror(gitUrl); RevWalk walk = new RevWalk(repo);
             TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(walk.parseCommit(ObjectId.fromString(commit)).getTree());
            tw.setRecursive(true);
            Path base = target.toAbsolutePath().normalize();
            while (tw.next()) {
                Path file = base.resolve(tw.getPathString()).normalize();
                if (!file.startsWith(base)) continue; // a hostile tree cannot write outside the workspace
                Files.createDirectories(file.getParent());
                FileMode mode = tw.getFileMode(0);
                if (FileMode.SYMLINK.equals(mode)) {
                    String link = new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
                    Files.createSymbolicLink(file, Path.of(link));
                } else if (FileMode.GITLINK.equals(mode)) {
                    Files.createDirectories(file); // submodules are not fetched
                } else {
                    try (OutputStream out = Files.newOutputStream(file)) {
                        repo.open(tw.getObjectId(0)).copyTo(out);
                    }
                    if (FileMode.EXECUTABLE_FILE.equals(mode)) {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }
    }

    private Repository mirror(String gitUrl) throws IOException {
        Path dir = root.resolve(hash(gitUrl) + ".git");
        Repository repo = FileRepositoryBuilder.create(dir.toFile());
        if (!Files.exists(dir.resolve("HEAD"))) repo.create(true);
        return repo;
    }

    private static String hash(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(url.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
