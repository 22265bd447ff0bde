package io.stoker.engine.cache;

import io.stoker.engine.files.FileTrees;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Caches as zip files under a directory: {@code ROOT/<project>/<scope>/<key>.zip}, each name percent-encoded (so
 * that no two projects, branches or keys share a file and none is {@code ..}). A restore that misses in its scope
 * falls back to the project's default branch (GitHub's rule); a save keeps the first zip per key and scope, then
 * drops the project's least recently used caches until it holds at most {@code maxBytesPerProject}. A file's
 * modification time is when it was last used. One lock for the whole store: saves and evictions are rare and short
 * beside the zipping, which happens outside it.
 */
public final class FileCacheStore implements CacheStore {
    /** A project's (or a local data dir's) caches hold at most this much unless set otherwise: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    private static final String ZIP = ".zip";
    private static final String STAGING = ".staging";

    private final Path root;
    private final long maxBytesPerProject;
    private final Function<String, Optional<String>> defaultBranch;
    private final boolean scoped;
    private final Clock clock;

    private FileCacheStore(Path root, long maxBytesPerProject, Function<String, Optional<String>> defaultBranch,
                           boolean scoped, Clock clock) {
        if (maxBytesPerProject < 1) throw new IllegalArgumentException("the cache size limit must be positive");
        this.root = root.toAbsolutePath().normalize();
        this.maxBytesPerProject = maxBytesPerProject;
        this.defaultBranch = defaultBranch;
        this.scoped = scoped;
        this.clock = clock;
    }

    /** A server's store: per project and scope, at most {@code maxBytesPerProject} a project, falling back to the default branch. */
    public static FileCacheStore server(Path root, long maxBytesPerProject,
                                        Function<String, Optional<String>> defaultBranch, Clock clock) {
        FileCacheStore store = new FileCacheStore(root, maxBytesPerProject, defaultBranch, true, clock);
        store.dropStaleStaging();
        return store;
    }

    /** A local run's store (one person's machine): one scope for every branch, at most {@code maxBytes}. */
    public static FileCacheStore local(Path root, long maxBytes, Clock clock) {
        return new FileCacheStore(root, maxBytes, project -> Optional.empty(), false, clock);
    }

    @Override
    public synchronized Optional<Path> restore(CacheScope scope, String key) throws IOException {
        Path own = file(scope, key);
        if (Files.isRegularFile(own)) return Optional.of(used(own));
        if (!scoped || scope.project() == null) return Optional.empty();
        Optional<String> main = defaultBranch.apply(scope.project());
        if (main.isEmpty() || (scope.pr() == null && main.get().equals(scope.branch()))) return Optional.empty();
        Path fallback = file(CacheScope.branch(scope.project(), main.get()), key);
        return Files.isRegularFile(fallback) ? Optional.of(used(fallback)) : Optional.empty();
    }

    @Override
    public Path newArchive() throws IOException {
        Path dir = Files.createDirectories(root.resolve(STAGING));
        return Files.createTempFile(dir, "cache-", ZIP);
    }

    @Override
    public synchronized boolean save(CacheScope scope, String key, Path archive) throws IOException {
        Path target = file(scope, key);
        if (Files.exists(target)) {
            Files.deleteIfExists(archive);
            used(target);
            return false;
        }
        Files.createDirectories(target.getParent());
        Files.move(archive, target, StandardCopyOption.ATOMIC_MOVE);
        used(target);
        evict(projectDir(scope.project()), target);
        return true;
    }

    /** The project's caches, most recently used first. */
    public synchronized List<CacheEntry> list(String project) throws IOException {
        List<CacheEntry> entries = new ArrayList<>();
        for (Kept k : kept(projectDir(project))) entries.add(k.entry());
        entries.sort(Comparator.comparing(CacheEntry::lastUsed).reversed().thenComparing(CacheEntry::key));
        return entries;
    }

    /** Drops every cache of the project; returns how many there were. */
    public synchronized int drop(String project) throws IOException {
        Path dir = projectDir(project);
        int n = kept(dir).size();
        FileTrees.delete(dir);
        return n;
    }

    /**
     * Drops the project's caches with the full key {@code key} (hash included), in every scope: a cache that went bad
     * is saved again by the next run that misses it. Returns how many there were.
     */
    public synchronized int drop(String project, String key) throws IOException {
        int n = 0;
        for (Kept k : kept(projectDir(project))) {
            if (k.entry().key().equals(key) && Files.deleteIfExists(k.file())) n++;
        }
        return n;
    }

    /**
     * Zips a stopped server was writing are of no use; only those a day old go, as the servers of a cluster share the
     * directory and another one may be writing its own now.
     */
    private void dropStaleStaging() {
        Path staging = root.resolve(STAGING);
        if (!Files.isDirectory(staging)) return;
        java.time.Instant dayAgo = clock.instant().minus(java.time.Duration.ofDays(1));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(dayAgo)) Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a leftover costs disk and nothing else: the next start tries again
        }
    }

    private Path used(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        return file;
    }

    /** Drops the least recently used caches of a project until it fits, never the one just saved. */
    private void evict(Path projectDir, Path justSaved) throws IOException {
        List<Kept> all = kept(projectDir);
        long total = all.stream().mapToLong(k -> k.entry().bytes()).sum();
        all.sort(Comparator.comparing(k -> k.entry().lastUsed()));
        for (Kept k : all) {
            if (total <= maxBytesPerProject) break;
            if (k.file().equals(justSaved)) continue;
            Files.deleteIfExists(k.file());
            total -= k.entry().bytes();
        }
    }

    private record Kept(Path file, CacheEntry entry) {
    }

    private List<Kept> kept(Path projectDir) throws IOException {
        List<Kept> kept = new ArrayList<>();
        if (!Files.isDirectory(projectDir)) return kept;
        try (DirectoryStream<Path> scopes = Files.newDirectoryStream(projectDir, Files::isDirectory)) {
            for (Path scopeDir : scopes) {
                try (DirectoryStream<Path> zips = Files.newDirectoryStream(scopeDir, "*" + ZIP)) {
                    for (Path zip : zips) {
                        String name = zip.getFileName().toString();
                        String key = decode(name.substring(0, name.length() - ZIP.length()));
                        kept.add(new Kept(zip, new CacheEntry(scopeLabel(scopeDir.getFileName().toString()), key,
                                Files.size(zip), Files.getLastModifiedTime(zip).toInstant())));
                    }
                }
            }
        }
        return kept;
    }

    private Path projectDir(String project) {
        return root.resolve(project == null ? "local" : "p-" + encode(project));
    }

    private Path file(CacheScope scope, String key) {
        return projectDir(scope.project()).resolve(scopeDir(scope)).resolve(encode(key) + ZIP);
    }

    /** {@code pr-12}, {@code b-<branch>}, {@code none}; a local store keeps one scope, {@code all}. */
    private String scopeDir(CacheScope scope) {
        if (!scoped) return "all";
        if (scope.pr() != null) return "pr-" + scope.pr();
        return scope.branch() != null ? "b-" + encode(scope.branch()) : "none";
    }

    private static String scopeLabel(String dir) {
        if (dir.startsWith("pr-")) return "pull request " + dir.substring(3);
        if (dir.startsWith("b-")) return "branch " + decode(dir.substring(2));
        return dir.equals("all") ? "every branch" : "no branch";
    }

    private static String encode(String name) {
        // '.' and '*' stay as they are in URLEncoder's form: a name of dots alone must not be a directory step
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace(".", "%2E").replace("*", "%2A");
    }

    private static String decode(String name) {
        return URLDecoder.decode(name, StandardCharsets.UTF_8);
    }
}
