package io.stoker.server.git;

import io.stoker.engine.files.FileMutex;
import io.stoker.engine.files.FileTrees;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.EolStreamTypeUtil;
import org.eclipse.jgit.lib.CoreConfig.EolStreamType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One bare mirror per project under a root directory, kept with JGit.
 *
 * <p>{@link #sync} clones or fetches every branch and tag (pruning deleted ones) from any URL JGit can fetch
 * ({@code https://}, {@code file://}, {@code ssh://host/path}, scp-like {@code git@host:org/repo.git}). Syncs of one project are serialised, so concurrent syncs never corrupt a
 * mirror; reads ({@link #resolve}, {@link #readFile}, {@link #export}) work on immutable objects and may run at
 * any time. All methods block (network and disk): call them from a worker thread, not a Vert.x event loop.
 * Failures are {@link GitMirrorException}s whose messages are fit for users.
 *
 * <p>SSH: the mirrors authenticate with their own key pair, {@code id_ecdsa} in the ssh directory beside the
 * mirrors' root ({@link #sshDir()}), generated on first use (private key 0600; give {@code id_ecdsa.pub} to the git
 * host as a deploy key). Host keys are checked against {@code known_hosts} in the same directory (OpenSSH format,
 * plain host names): a host's key that differs from the recorded one always fails the sync; a host with no entry
 * fails with a message naming its fingerprint and the line to add, unless trust-on-first-use is on, in which case
 * its first key is recorded. User ssh config, agents and {@code ~/.ssh} are never consulted.
 */
public final class GitMirrors {
    /** Jobfile names looked up at a commit, in order of preference. */
    public static final List<String> JOBFILE_NAMES = io.stoker.dsl.JobfileCompiler.NAMES; // one list for CLI and server

    /** How long a fetch waits for a host that sends nothing ({@code STOKER_GIT_TIMEOUT}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    private static final int MAX_TEXT_BYTES = 4 * 1024 * 1024;
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{4,40}");
    private static final List<RefSpec> REF_SPECS = List.of(
            new RefSpec("+refs/heads/*:refs/heads/*"),
            new RefSpec("+refs/tags/*:refs/tags/*"),
            // pull/merge request heads (GitHub, Gitea/Forgejo; GitLab): a fork's commits are only reachable there
            new RefSpec("+refs/pull/*/head:refs/pull/*/head"),
            new RefSpec("+refs/merge-requests/*/head:refs/merge-requests/*/head"));

    private final Path root;
    private final Duration timeout;
    private final boolean trustFirstHostKey;
    private final Map<String, ProjectSync> syncs = new ConcurrentHashMap<>();
    private final Object keyLock = new Object();

    /** Mirrors under {@code root} (created when missing), network operations timing out after two minutes. */
    public GitMirrors(Path root) {
        this(root, DEFAULT_TIMEOUT);
    }

    /**
     * Mirrors under {@code root}; {@code timeout} bounds each wait for the host during a fetch (JGit's transport
     * timeout: a connect, or a read that brings nothing; a slow transfer that keeps coming is not cut).
     */
    public GitMirrors(Path root, Duration timeout) {
        this(root, timeout, false);
    }

    /**
     * Mirrors under {@code root}; {@code timeout} bounds each network read of a fetch; {@code trustFirstHostKey}
     * records an ssh host's key on the first connection instead of failing (trust-on-first-use).
     */
    public GitMirrors(Path root, Duration timeout, boolean trustFirstHostKey) {
        this.root = root.toAbsolutePath();
        this.timeout = timeout;
        this.trustFirstHostKey = trustFirstHostKey;
    }

    /** The directory with the mirrors' ssh key pair and {@code known_hosts}: {@code ssh} beside the root. */
    public Path sshDir() {
        return root.resolveSibling("ssh");
    }

    /**
     * The mirror's directory for a project. Any project name is safe: unusual characters are replaced and a hash
     * of the exact name keeps distinct names (also names differing only in case) in distinct directories.
     */
    public Path mirrorDir(String project) {
        String readable = project.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "_");
        if (readable.length() > 40) {
            readable = readable.substring(0, 40);
        }
        return root.resolve(readable + "-" + shortHash(project) + ".git");
    }

    /** True when the project has a mirror (it was synced at least once). */
    public boolean exists(String project) {
        return Files.isRegularFile(mirrorDir(project).resolve("HEAD"));
    }

    /**
     * Clones (first time) or fetches the project's repository from {@code url}: all branches and tags, removing
     * those deleted upstream. The URL may change between calls (the mirror follows it).
     *
     * @param credentials username and password/token for https, or {@code null} for none
     * @return the branches and tags after the sync
     */
    public SyncResult sync(String project, String url, GitCredentials credentials) {
        return syncs.computeIfAbsent(project, p -> new ProjectSync())
                .sync(url, credentials, () -> fetch(project, url, credentials));
    }

    /**
     * Where the project's fetches stand now, for a caller that will {@link #sync(String, String, GitCredentials, long)
     * sync} later (a push queued behind another of its repository): any fetch started in between serves it.
     */
    public long syncMark(String project) {
        return syncs.computeIfAbsent(project, p -> new ProjectSync()).mark();
    }

    /** As {@link #sync(String, String, GitCredentials)}, taking the outcome of any fetch started after {@code mark}. */
    public SyncResult sync(String project, String url, GitCredentials credentials, long mark) {
        return syncs.computeIfAbsent(project, p -> new ProjectSync())
                .sync(mark, url, credentials, () -> fetch(project, url, credentials));
    }

    /**
     * Clones or fetches, with no other fetch of the project going: none of this server ({@link ProjectSync}), none of
     * another server sharing the data directory (a cluster: the mirror's lock file, {@link #lockFile}).
     */
    private SyncResult fetch(String project, String url, GitCredentials credentials) {
        try {
            return FileMutex.holding(lockFile(project), () -> fetchLocked(project, url, credentials));
        } catch (IOException e) {
            throw new GitMirrorException("project '" + project + "': cannot lock its mirror in " + root + ": "
                    + rootMessage(e), e);
        }
    }

    /** Where the lock of a project's mirror is, beside the mirrors (not a mirror: its name starts with a dot). */
    private Path lockFile(String project) {
        return root.resolve(".locks").resolve(mirrorDir(project).getFileName() + ".lock");
    }

    private SyncResult fetchLocked(String project, String url, GitCredentials credentials) {
        try {
            Path dir = mirrorDir(project);
            boolean fresh = !exists(project);
            if (fresh) {
                Files.createDirectories(root);
                Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch("main").call().close();
            }
            try (Repository repo = open(project); Git git = new Git(repo)) {
                StoredConfig config = repo.getConfig();
                // for whoever looks into the mirror: the fetch below is given the URL, credentials and all
                config.setString("remote", "origin", "url", withoutCredentials(url));
                // JGit runs an automatic gc after a fetch, detached by default: on a thread of its own that outlives
                // this lock and writes into the mirror while a delete or a checkout reads it (a delete was seen to
                // leave the mirror half there). Run it here, under the lock, instead.
                config.setBoolean("gc", null, "autoDetach", false);
                config.save();
                var fetch = git.fetch()
                        .setRemote(url)
                        .setRefSpecs(REF_SPECS)
                        .setRemoveDeletedRefs(true)
                        .setTimeout(timeoutSeconds());
                if (credentials != null) {
                    fetch.setCredentialsProvider(
                            new UsernamePasswordCredentialsProvider(credentials.username(), credentials.secret()));
                }
                AtomicReference<SshHostKeys> hostKeys = new AtomicReference<>();
                AtomicReference<SshdSessionFactory> sessions = new AtomicReference<>();
                fetch.setTransportConfigCallback(transport -> {
                    if (transport instanceof SshTransport ssh) {
                        SshHostKeys keys = new SshHostKeys(sshDir().resolve("known_hosts"),
                                transport.getURI().getHost(), transport.getURI().getPort(), trustFirstHostKey);
                        hostKeys.set(keys);
                        sessions.set(sshSessions(keys));
                        ssh.setSshSessionFactory(sessions.get());
                    }
                });
                try {
                    followRemoteHead(repo, fetch.call().getAdvertisedRef(Constants.HEAD));
                } catch (GitAPIException | RuntimeException e) {
                    SshHostKeys keys = hostKeys.get();
                    if (keys != null && keys.rejection() != null) {
                        throw new GitMirrorException(keys.rejection(), e); // clearer than JGit's own words
                    }
                    throw e;
                } finally {
                    if (sessions.get() != null) {
                        sessions.get().close();
                    }
                }
                return refs(repo);
            } catch (GitAPIException | RuntimeException e) {
                if (fresh) {
                    FileTrees.deleteQuietly(dir); // a half-made first clone would look like a mirror with no branches
                }
                String message = "project '" + project + "': cannot fetch " + redact(url) + ": "
                        + (e instanceof GitMirrorException ? e.getMessage()
                        : timedOut(e) ? silence() : unreachableOrRoot(e, url));
                if (credentials != null && CredentialsRefusal.refusedNamed(e)) {
                    throw new RefusedCredentialsException(message, e);
                }
                throw new GitMirrorException(message, e);
            }
        } catch (IOException | GitAPIException e) {
            throw new GitMirrorException("project '" + project + "': cannot create its mirror in " + root + ": "
                    + rootMessage(e), e);
        }
    }

    /**
     * The mirrors' ssh public key in OpenSSH form ({@code ecdsa-sha2-nistp256 AAAA… stoker-server}), generating the
     * key pair when there is none yet: register it with git hosts (e.g. as a deploy key).
     */
    public String sshPublicKey() {
        Path key = sshKey();
        try {
            return Files.readString(key.resolveSibling("id_ecdsa.pub"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new GitMirrorException("cannot read the ssh public key beside " + key + ": " + e.getMessage(), e);
        }
    }

    /** A session factory using only the mirrors' own key and the given host keys (no user config, no agent). */
    private SshdSessionFactory sshSessions(SshHostKeys hostKeys) {
        Path key = sshKey();
        var builder = new SshdSessionFactoryBuilder()
                .setHomeDirectory(sshDir().toFile())
                .setSshDirectory(sshDir().toFile())
                .setConfigStoreFactory((home, config, user) -> null);
        // a data directory from before 0.1 holds the key in OpenSSH form, which JGit reads itself
        if (MirrorKeyFiles.isPkcs8(key)) {
            KeyPair pair = keyPair(key); // read once, here, so a damaged key fails the sync with its own message
            builder.setDefaultKeysProvider(ignored -> List.of(pair));
        } else {
            builder.setDefaultIdentities(ignored -> List.of(key));
        }
        return builder
                .setServerKeyDatabase((home, ssh) -> hostKeys)
                .setPreferredAuthentications("publickey")
                .setConnectorFactory(null)
                .build(null);
    }

    private KeyPair keyPair(Path key) {
        try {
            return MirrorKeyFiles.read(key);
        } catch (IOException | GeneralSecurityException e) {
            throw new GitMirrorException("cannot read the ssh key pair " + key + ": " + e.getMessage(), e);
        }
    }

    /** The mirrors' private key file, generated (ECDSA P-256, PKCS#8 PEM, 0600) when missing; see {@link MirrorKeyFiles}. */
    private Path sshKey() {
        Path dir = sshDir();
        Path key = dir.resolve("id_ecdsa");
        synchronized (keyLock) {
            if (Files.isRegularFile(key)) {
                return key;
            }
            try {
                Files.createDirectories(dir);
                MirrorKeyFiles.generate(key, "stoker-server");
                return key;
            } catch (IOException | GeneralSecurityException e) {
                throw new GitMirrorException("cannot create the ssh key pair in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** Removes the project's mirror (e.g. when the project is deleted); nothing happens when there is none. */
    public void delete(String project) {
        syncs.computeIfAbsent(project, p -> new ProjectSync()).exclusively(() -> {
            try {
                FileMutex.holding(lockFile(project), () -> {
                    FileTrees.deleteQuietly(mirrorDir(project));
                    return null;
                });
            } catch (IOException e) {
                throw new GitMirrorException("project '" + project + "': cannot lock its mirror to remove it: "
                        + rootMessage(e), e);
            }
        });
    }

    /** The mirror's branches and tags as they are now (no fetch). */
    public SyncResult refs(String project) {
        try (Repository repo = open(project)) {
            return refs(repo);
        } catch (IOException e) {
            throw failure(project, "cannot read refs", e);
        }
    }

    /**
     * The commit SHA for a branch name, a tag name (annotated tags peeled), a full ref name ({@code refs/...}) or a
     * (possibly abbreviated, unambiguous) commit SHA. Branches win over tags of the same name, as in git.
     *
     * @throws UnknownRefException when the mirror has no such ref or commit
     */
    public String resolve(String project, String ref) {
        if (ref == null || ref.isBlank()) {
            throw new UnknownRefException(project, String.valueOf(ref));
        }
        try (Repository repo = open(project); RevWalk walk = new RevWalk(repo)) {
            for (String name : List.of(Constants.R_HEADS + ref, Constants.R_TAGS + ref, ref)) {
                if (!name.startsWith(Constants.R_REFS)) {
                    continue;
                }
                Ref found = repo.exactRef(name);
                if (found != null) {
                    return walk.parseCommit(found.getObjectId()).name();
                }
            }
            if (HEX.matcher(ref).matches()) {
                ObjectId id = resolveSha(repo, ref);
                if (id != null) {
                    try {
                        return walk.parseCommit(id).name();
                    } catch (MissingObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                        throw new UnknownRefException(project, ref);
                    }
                }
            }
            throw empty(repo) ? UnknownRefException.noCommits(project, ref) : new UnknownRefException(project, ref);
        } catch (IOException e) {
            throw failure(project, "cannot resolve '" + ref + "'", e);
        }
    }

    /**
     * The text (UTF-8) of a regular file at a commit, or empty when the path is absent or not a regular file.
     *
     * @param path slash-separated, relative to the repository root
     */
    public Optional<String> readFile(String project, String commit, String path) {
        try (Repository repo = open(project); RevWalk walk = new RevWalk(repo)) {
            RevCommit c = parseCommit(project, repo, walk, commit);
            try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
                if (tw == null || (tw.getFileMode(0) != FileMode.REGULAR_FILE
                        && tw.getFileMode(0) != FileMode.EXECUTABLE_FILE)) {
                    return Optional.empty();
                }
                byte[] bytes = repo.open(tw.getObjectId(0)).getCachedBytes(MAX_TEXT_BYTES);
                return Optional.of(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (LargeObjectException e) {
            throw new GitMirrorException("project '" + project + "': " + path + " at " + commit
                    + " is larger than " + MAX_TEXT_BYTES + " bytes");
        } catch (IOException e) {
            throw failure(project, "cannot read " + path + " at " + commit, e);
        }
    }

    /**
     * The first of {@link #JOBFILE_NAMES} present at the commit (root directory), or empty when none is. A Jobfile
     * committed as a symbolic link is read where it points, as a checkout would (a link to {@code ci/Jobfile}); a
     * link out of the repository, or a chain of more than {@link #MAX_LINKS}, is refused with a message.
     */
    public Optional<JobfileText> readJobfile(String project, String commit) {
        for (String name : JOBFILE_NAMES) {
            Optional<String> text = readFileFollowingLinks(project, commit, name);
            if (text.isPresent()) {
                return Optional.of(new JobfileText(name, text.get()));
            }
        }
        return Optional.empty();
    }

    static final int MAX_LINKS = 8;

    private Optional<String> readFileFollowingLinks(String project, String commit, String path) {
        String current = path;
        try (Repository repo = open(project); RevWalk walk = new RevWalk(repo)) {
            RevCommit c = parseCommit(project, repo, walk, commit);
            for (int hop = 0; hop <= MAX_LINKS; hop++) {
                try (TreeWalk tw = TreeWalk.forPath(repo, current, c.getTree())) {
                    if (tw == null) return Optional.empty();
                    FileMode mode = tw.getFileMode(0);
                    if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                        return Optional.of(new String(repo.open(tw.getObjectId(0)).getCachedBytes(MAX_TEXT_BYTES),
                                StandardCharsets.UTF_8));
                    }
                    if (mode != FileMode.SYMLINK) return Optional.empty();
                    String target = new String(repo.open(tw.getObjectId(0)).getCachedBytes(4096),
                            StandardCharsets.UTF_8);
                    current = linkedPath(project, path, current, target);
                }
            }
            throw new GitMirrorException("project '" + project + "': " + path + " at " + commit
                    + " is a chain of more than " + MAX_LINKS + " symbolic links");
        } catch (LargeObjectException e) {
            throw new GitMirrorException("project '" + project + "': " + current + " at " + commit
                    + " is larger than " + MAX_TEXT_BYTES + " bytes");
        } catch (IOException e) {
            throw failure(project, "cannot read " + current + " at " + commit, e);
        }
    }

    /** Where a link at {@code at} to {@code target} leads, relative to the repository root; refused when outside it. */
    private static String linkedPath(String project, String path, String at, String target) {
        Path root = Path.of("/repo");
        Path parent = root.resolve(at).getParent();
        Path resolved;
        try {
            resolved = target.startsWith("/") ? null : parent.resolve(target).normalize();
        } catch (InvalidPathException e) {
            resolved = null;
        }
        if (resolved == null || !resolved.startsWith(root) || resolved.equals(root)) {
            throw new GitMirrorException("project '" + project + "': " + path + " is a symbolic link to '" + target
                    + "', outside the repository; commit the Jobfile itself or a link to a file of the repository");
        }
        return root.relativize(resolved).toString();
    }

    /**
     * Writes the tree of a commit into {@code dir} (created if missing; it must be empty): regular files, executable
     * files with their exec bits, symbolic links as links, submodules as empty directories, and no {@code .git}.
     */
    public void export(String project, String commit, Path dir) {
        try (Repository repo = open(project); RevWalk walk = new RevWalk(repo)) {
            RevCommit c = parseCommit(project, repo, walk, commit);
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new GitMirrorException("cannot export into " + dir + ": the directory is not empty");
                }
            }
            Path base = dir.toRealPath();
            try (TreeWalk tw = new TreeWalk(repo); ObjectReader reader = repo.newObjectReader()) {
                tw.addTree(c.getTree());
                tw.setRecursive(false);
                while (tw.next()) {
                    Path target = safeTarget(base, tw.getPathString());
                    FileMode mode = tw.getFileMode(0);
                    if (mode == FileMode.TREE) {
                        Files.createDirectory(target);
                        tw.enterSubtree();
                    } else if (mode == FileMode.GITLINK) {
                        Files.createDirectory(target);
                    } else if (mode == FileMode.SYMLINK) {
                        String link = new String(reader.open(tw.getObjectId(0)).getCachedBytes(4096),
                                StandardCharsets.UTF_8);
                        Files.createSymbolicLink(target, Path.of(link));
                    } else {
                        writeFile(reader.open(tw.getObjectId(0)), target, mode == FileMode.EXECUTABLE_FILE,
                                tw.getEolStreamType(TreeWalk.OperationType.CHECKOUT_OP));
                    }
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw new GitMirrorException("project '" + project + "': commit " + commit
                    + " has a path twice: " + e.getFile());
        } catch (IOException | InvalidPathException e) {
            throw failure(project, "cannot export " + commit + " into " + dir, e);
        }
    }

    /**
     * {@link #export} plus a {@code .git} in {@code dir} at that commit, self-contained and shallow (see
     * {@link WorkspaceGitDir}): HEAD detached at the commit, {@code refs/heads/BRANCH} pointing at it when
     * {@code branch} is given, {@code origin} is {@code url} when given, and {@code git status} is clean.
     */
    public void checkout(String project, String commit, String branch, String url, Path dir) {
        fullCheckout(project, commit, branch, url, dir);
    }

    /** {@link #checkout}, returning what a {@link CheckoutPool} keeps to reuse the checkout. */
    CachedCheckout fullCheckout(String project, String commit, String branch, String url, Path dir) {
        export(project, commit, dir);
        try (Repository mirror = open(project); RevWalk walk = new RevWalk(mirror)) {
            RevCommit c = parseCommit(project, mirror, walk, commit);
            var files = TreeStats.take(dir);
            var packs = WorkspaceGitDir.write(mirror, c, branch, url, dir, files, null);
            return new CachedCheckout(c.name(), files, packs);
        } catch (IOException e) {
            FileTrees.deleteQuietly(dir.resolve(Constants.DOT_GIT));
            throw failure(project, "cannot write .git for " + commit + " into " + dir, e);
        }
    }

    /**
     * Turns {@code dir}, a checkout made by {@link #fullCheckout} or this method and used since, into a checkout of
     * {@code commit} (see {@link CheckoutUpdate}); on failure {@code dir} is in no defined state.
     */
    CachedCheckout updateCheckout(String project, CachedCheckout before, String commit, String branch, String url,
                                  Path dir) throws IOException {
        try (Repository mirror = open(project); RevWalk walk = new RevWalk(mirror)) {
            RevCommit c = parseCommit(project, mirror, walk, commit);
            RevTree previous = walk.parseCommit(ObjectId.fromString(before.commit())).getTree();
            return new CheckoutUpdate(mirror, dir.toRealPath(), before).to(c, previous, branch, url);
        }
    }

    /**
     * Writes a blob as {@code git checkout} would: with the line endings its {@code .gitattributes} ({@code eol},
     * {@code text}) ask for, {@code eol} being what the tree walk at its path says ({@link TreeWalk#getEolStreamType}).
     */
    static void writeFile(ObjectLoader loader, Path target, boolean executable, EolStreamType eol) throws IOException {
        // CREATE_NEW never follows an existing (planted) symbolic link
        try (OutputStream out = EolStreamTypeUtil.wrapOutputStream(
                Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), eol)) {
            loader.copyTo(out);
        }
        if (executable && target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Rejects tree entries that would escape the directory or land in .git (git refuses such trees; JGit may not). */
    static Path safeTarget(Path base, String entryPath) throws IOException {
        for (String segment : entryPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.equalsIgnoreCase(".git")) {
                throw new IOException("unsafe path in tree: " + entryPath);
            }
        }
        Path target = base.resolve(entryPath).normalize();
        Path parent = target.getParent();
        if (!target.startsWith(base) || !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("unsafe path in tree: " + entryPath);
        }
        return target;
    }

    private RevCommit parseCommit(String project, Repository repo, RevWalk walk, String commit) throws IOException {
        ObjectId id = commit != null && HEX.matcher(commit).matches() ? resolveSha(repo, commit) : null;
        if (id == null) {
            throw new UnknownRefException(project, String.valueOf(commit));
        }
        try {
            return walk.parseCommit(id);
        } catch (MissingObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw new UnknownRefException(project, commit);
        }
    }

    private static ObjectId resolveSha(Repository repo, String sha) throws IOException {
        if (sha.length() == Constants.OBJECT_ID_STRING_LENGTH) {
            ObjectId id = ObjectId.fromString(sha.toLowerCase());
            return repo.getObjectDatabase().has(id) ? id : null;
        }
        try (ObjectReader reader = repo.newObjectReader()) {
            var candidates = reader.resolve(AbbreviatedObjectId.fromString(sha.toLowerCase()));
            return candidates.size() == 1 ? candidates.iterator().next().toObjectId() : null;
        }
    }

    /**
     * The branch the repository's own HEAD names (what {@code git clone} checks out): a project created without a
     * branch builds it. Falls back to {@code main}, then {@code master}, then the first branch, for servers that do
     * not advertise HEAD.
     *
     * @throws UnknownRefException when the mirror has no branch at all
     */
    public String defaultBranch(String project) {
        try (Repository repo = open(project)) {
            Ref head = repo.exactRef(Constants.HEAD);
            if (head != null && head.isSymbolic() && head.getTarget().getObjectId() != null) {
                return Repository.shortenRefName(head.getTarget().getName());
            }
            var branches = refs(repo).branches();
            for (String usual : List.of("main", "master")) {
                if (branches.containsKey(usual)) return usual;
            }
            if (branches.isEmpty() && empty(repo)) throw UnknownRefException.noCommits(project, Constants.HEAD);
            return branches.keySet().stream().findFirst().orElseThrow(() -> new UnknownRefException(project, "HEAD"));
        } catch (IOException e) {
            throw failure(project, "cannot read its default branch", e);
        }
    }

    /** Whether the mirror holds no branch and no tag: its repository has had no commit pushed yet. */
    private static boolean empty(Repository repo) throws IOException {
        return repo.getRefDatabase().getRefsByPrefix(Constants.R_REFS).isEmpty();
    }

    /** Points the mirror's HEAD where the remote's points, so {@link #defaultBranch} follows a renamed default. */
    private static void followRemoteHead(Repository repo, Ref remoteHead) throws IOException {
        if (remoteHead == null || !remoteHead.isSymbolic()) return;
        String target = remoteHead.getTarget().getName();
        if (!target.startsWith(Constants.R_HEADS)) return;
        Ref local = repo.exactRef(Constants.HEAD);
        if (local != null && local.isSymbolic() && local.getTarget().getName().equals(target)) return;
        repo.updateRef(Constants.HEAD).link(target);
    }

    private Repository open(String project) throws IOException {
        Path dir = mirrorDir(project);
        if (!Files.isRegularFile(dir.resolve("HEAD"))) {
            throw new GitMirrorException("project '" + project + "' has no git mirror yet (it was never synced)");
        }
        try {
            return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).setBare().build();
        } catch (RepositoryNotFoundException e) {
            throw new GitMirrorException("project '" + project + "' has no git mirror yet (it was never synced)");
        }
    }

    private static SyncResult refs(Repository repo) throws IOException {
        Map<String, String> branches = new TreeMap<>();
        Map<String, String> tags = new TreeMap<>();
        try (RevWalk walk = new RevWalk(repo)) {
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                branches.put(ref.getName().substring(Constants.R_HEADS.length()), ref.getObjectId().name());
            }
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                // a tag may point at a tree or blob; such tags are not buildable and are left out
                try {
                    tags.put(ref.getName().substring(Constants.R_TAGS.length()),
                            walk.parseCommit(ref.getObjectId()).name());
                } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException ignored) {
                    // not a commit
                }
            }
        }
        return new SyncResult(branches, tags);
    }

    private static GitMirrorException failure(String project, String what, Exception e) {
        return new GitMirrorException("project '" + project + "': " + what + ": " + rootMessage(e), e);
    }

    /** True when the fetch gave up because the host sent nothing for {@link #timeout} (JGit's transport timeout). */
    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // http(s): the connection's read timeout; git://, ssh: JGit's TimeoutInputStream (an InterruptedIOException)
            if (t instanceof java.io.InterruptedIOException) return true;
        }
        return false;
    }

    /** What a fetch that timed out says: JGit's own words ("Connection time out: 127.0.0.1") name no limit. */
    private String silence() {
        return "the git host sent nothing for " + timeoutSeconds() + " s, the git timeout "
                + "(STOKER_GIT_TIMEOUT); it accepted the connection or stopped mid-transfer: is it up and reachable?";
    }

    /** JGit counts its timeout in whole seconds. */
    private int timeoutSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toSeconds()));
    }

    private static String unreachableOrRoot(Throwable e, String url) {
        String unreachable = UnreachableHost.describe(e, url);
        if (unreachable != null) return unreachable;
        String refusal = CredentialsRefusal.describe(e, url);
        return refusal != null ? refusal : rootMessage(e);
    }

    private static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // JGit says "Invalid remote: URL: URL: not found."
            if (t instanceof org.eclipse.jgit.errors.NoRemoteRepositoryException) return "no git repository there";
        }
        String refusal = CredentialsRefusal.describe(e, null);
        if (refusal != null) return refusal;
        String message = e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && (message == null || !message.contains(t.getMessage()))) {
                message = message == null ? t.getMessage() : message + ": " + t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : redact(message);
    }

    /**
     * Hides credentials written into a URL before it reaches a message: a password ({@code https://user:secret@host})
     * and, in an http(s) URL, a lone user name, which is often a token ({@code https://ghp_…@github.com/…}).
     */
    public static String redact(String text) {
        String noPassword = text.replaceAll("://([^/@:\\s]+):[^/@\\s]+@", "://$1:***@");
        return noPassword.replaceAll("(?i)\\b(https?://)[^/@:\\s]+@", "$1***@");
    }

    /**
     * A repository URL as tasks may see it ({@code STOKER_REPO_URL}): the user information of a URL
     * ({@code https://user:token@host/…}, {@code ssh://git:secret@host/…}) loses its password, and an http(s) URL loses
     * its user information entirely (a token is often written as the user name). scp-like {@code git@host:path} stays.
     */
    public static String withoutCredentials(String url) {
        String noPassword = url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://[^/@:\\s]+):[^/@\\s]*@", "$1@");
        return noPassword.replaceFirst("^(?i)(https?://)[^/@\\s]*@", "$1");
    }

    private static String shortHash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
