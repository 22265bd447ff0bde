package io.stoker.engine.version;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stoker.engine.files.FileMutex;
import io.stoker.engine.files.SafeFileName;
import io.stoker.model.Publish;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Versions as directories under {@code root}:
 * <pre>
 * &lt;root&gt;/&lt;project&gt;/&lt;version&gt;/…files…           the version's file tree
 * &lt;root&gt;/&lt;project&gt;/archive/&lt;version&gt;.tar.gz       the same files in one archive
 * &lt;root&gt;/&lt;project&gt;/.manifest/&lt;version&gt;.json      commit, run, job, SHA-256 and size of every file
 * &lt;root&gt;/&lt;project&gt;/.status/&lt;version&gt;             good or bad (absent: new); a bad one failed
 *                                                   deployments marked names their targets, one a line
 * </pre>
 * A publish writes everything in an aside directory {@code .aside-…}, moves the archive and manifest into place and
 * renames the file tree last: the version exists exactly when its directory does, so a crash at any point leaves no
 * half version visible. A forced re-publish first moves the old version whole into its aside directory; a crash
 * before the new tree's rename puts the old one back, so a replaced version is the old one or the new one, never a
 * mix. Leftovers (aside directories, an archive or manifest without its directory) are removed when the store
 * opens, except in a project another process is changing (the servers of a cluster share the store). Publishing,
 * marking and deleting are serialised per project (a large publish of one project does not hold up another's), across
 * processes too (a file lock per project under {@code .locks/}); reads take no lock.
 */
public final class DirectoryVersionStore implements VersionStore {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryVersionStore.class);
    static final String ASIDE = ".aside-";
    /** Where the projects' cross-process lock files are (not a project: project names start with a letter or digit). */
    static final String LOCKS = ".locks";
    private static final String ARCHIVE = "archive";
    private static final String MANIFEST = ".manifest";
    private static final String STATUS = ".status";
    /** The second line of a mark a failed deployment wrote: which target it failed on. */
    private static final String FAILED_ON = "failed-on ";
    private static final String REPLACED = "replaced";

    private final Path root;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Opens the store, creating {@code root} and removing what interrupted publishes left behind. */
    public DirectoryVersionStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
        recover();
    }

    /** The store's directory. */
    public Path root() {
        return root;
    }

    @Override
    public PublishOutcome publish(Release release) throws IOException {
        return exclusive(release.project(), () -> publishLocked(release));
    }

    private PublishOutcome publishLocked(Release release) throws IOException {
        String why = Publish.invalidVersion(release.version());
        if (why != null) return new PublishOutcome.Refused(why);
        Path project = Files.createDirectories(projectDir(release.project()));
        Path target = project.resolve(release.version());
        boolean replacing = Files.exists(target);
        if (replacing && !release.force()) {
            return new PublishOutcome.Refused("version " + release.version() + " of project " + release.project()
                    + " exists already; versions are immutable (an administrator may delete it or force a re-publish)");
        }
        Path aside = project.resolve(ASIDE + SafeFileName.of(release.version()) + "-" + UUID.randomUUID());
        try {
            Path files = Files.createDirectories(aside.resolve("files"));
            String clash = ZipUnpacker.unpack(release.zips(), files);
            if (clash != null) return new PublishOutcome.Refused(clash);
            List<VersionManifest.FileEntry> entries = FileDigests.of(files);
            var manifest = new VersionManifest(release.project(), release.version(), release.commit(), release.runKey(),
                    release.job(), release.createdAt(), entries);
            TarGzWriter.write(files, entries, aside.resolve("archive.tar.gz"));
            Files.write(aside.resolve("manifest.json"), json.writeValueAsBytes(toJson(manifest)));
            // a forced re-publish: the old version goes aside whole (recover() puts it back if we die before the end)
            if (replacing) moveAway(project, release.version(), aside.resolve(REPLACED), true);
            move(aside.resolve("archive.tar.gz"), Files.createDirectories(project.resolve(ARCHIVE))
                    .resolve(release.version() + ".tar.gz"));
            move(aside.resolve("manifest.json"), Files.createDirectories(project.resolve(MANIFEST))
                    .resolve(release.version() + ".json"));
            Files.deleteIfExists(project.resolve(STATUS).resolve(release.version()));
            move(files, target); // the commit point: from here on the (new) version exists
            return new PublishOutcome.Published(manifest);
        } finally {
            if (Files.exists(aside)) PathUtils.deleteDirectory(aside);
        }
    }

    @Override
    public List<StoredVersion> list(String project) throws IOException {
        Path dir = projectDir(project);
        if (!Files.isDirectory(dir)) return List.of();
        List<StoredVersion> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path p : children.filter(Files::isDirectory).toList()) {
                String name = p.getFileName().toString();
                if (Publish.invalidVersion(name) != null) continue; // archive, .manifest, .aside-…
                read(dir, name).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing((StoredVersion v) -> v.manifest().createdAt()).reversed()
                .thenComparing(StoredVersion::version, Comparator.reverseOrder()));
        return out;
    }

    @Override
    public Optional<StoredVersion> find(String project, String version) throws IOException {
        if (Publish.invalidVersion(version) != null) return Optional.empty();
        Path dir = projectDir(project);
        return Files.isDirectory(dir.resolve(version)) ? read(dir, version) : Optional.empty();
    }

    @Override
    public Optional<Path> archive(String project, String version) throws IOException {
        if (find(project, version).isEmpty()) return Optional.empty();
        Path p = projectDir(project).resolve(ARCHIVE).resolve(version + ".tar.gz");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public Optional<Path> file(String project, String version, String path) throws IOException {
        if (Publish.invalidVersion(version) != null || path == null || path.isEmpty()) return Optional.empty();
        Path base = projectDir(project).resolve(version);
        Path p;
        try {
            p = base.resolve(path).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty(); // a NUL in the name: no such file
        }
        if (!p.startsWith(base) || p.equals(base) || !Files.isRegularFile(p)) return Optional.empty();
        return Optional.of(p);
    }

    @Override
    public boolean mark(String project, String version, VersionStatus status) throws IOException {
        return exclusive(project, () -> find(project, version).isPresent() && markLocked(project, version, status, List.of()));
    }

    @Override
    public boolean markFailedOn(String project, String version, String target) throws IOException {
        return reviseFailedOn(project, version, failedOn -> {
            failedOn.remove(target); // the latest failure last
            failedOn.add(target);
        });
    }

    @Override
    public boolean markGoodOn(String project, String version, String target) throws IOException {
        return reviseFailedOn(project, version, failedOn -> failedOn.remove(target));
    }

    /** Changes the targets a version failed on; it is good when none is left, else bad. */
    private boolean reviseFailedOn(String project, String version, java.util.function.Consumer<List<String>> change)
            throws IOException {
        return exclusive(project, () -> {
            Optional<StoredVersion> v = find(project, version);
            if (v.isEmpty()) return false;
            List<String> failedOn = new ArrayList<>(v.get().failedOn());
            change.accept(failedOn);
            return markLocked(project, version, failedOn.isEmpty() ? VersionStatus.GOOD : VersionStatus.BAD, failedOn);
        });
    }

    private boolean markLocked(String project, String version, VersionStatus status, List<String> failedOn) throws IOException {
        Path marks = Files.createDirectories(projectDir(project).resolve(STATUS));
        if (status == VersionStatus.NEW) {
            Files.deleteIfExists(marks.resolve(version));
            return true;
        }
        Path tmp = Files.createTempFile(marks, ".mark-", ".tmp");
        StringBuilder mark = new StringBuilder(status.label()).append('\n');
        for (String target : failedOn) mark.append(FAILED_ON).append(target).append('\n');
        Files.writeString(tmp, mark.toString());
        move(tmp, marks.resolve(version));
        return true;
    }

    @Override
    public boolean delete(String project, String version) throws IOException {
        return exclusive(project, () -> deleteLocked(project, version));
    }

    private boolean deleteLocked(String project, String version) throws IOException {
        if (Publish.invalidVersion(version) != null) return false;
        Path dir = projectDir(project);
        if (!Files.isDirectory(dir.resolve(version))) return false;
        Path aside = dir.resolve(ASIDE + "deleted-" + SafeFileName.of(version) + "-" + UUID.randomUUID());
        moveAway(dir, version, aside, false);
        PathUtils.deleteDirectory(aside);
        return true;
    }

    @Override
    public void forget(String project) throws IOException {
        exclusive(project, () -> {
            Path dir = projectDir(project);
            if (!Files.isDirectory(dir)) return null;
            // renamed first, so no version of it is visible from here on; an interrupted removal is finished at the
            // next start (the store removes aside directories at its root too)
            Path aside = root.resolve(ASIDE + "forgotten-" + SafeFileName.of(project) + "-" + UUID.randomUUID());
            move(dir, aside);
            PathUtils.deleteDirectory(aside);
            return null;
        });
    }

    /**
     * Moves a version into {@code into}: its tree first (from then on the version is gone), then its archive,
     * manifest and mark. A {@code restorable} move writes the version's name there, so that {@link #recover} puts
     * it back when the publish that replaces it did not reach its end.
     */
    private static void moveAway(Path project, String version, Path into, boolean restorable) throws IOException {
        Files.createDirectories(into);
        if (restorable) Files.writeString(into.resolve("version"), version);
        move(project.resolve(version), into.resolve("files"));
        moveIfExists(project.resolve(ARCHIVE).resolve(version + ".tar.gz"), into.resolve("archive.tar.gz"));
        moveIfExists(project.resolve(MANIFEST).resolve(version + ".json"), into.resolve("manifest.json"));
        moveIfExists(project.resolve(STATUS).resolve(version), into.resolve("status"));
    }

    /** Puts back what {@link #moveAway} set aside when no new version took its place: its tree last. */
    private static void restore(Path project, Path from) throws IOException {
        String version = Files.readString(from.resolve("version")).trim();
        if (Publish.invalidVersion(version) != null || Files.isDirectory(project.resolve(version))
                || !Files.isDirectory(from.resolve("files"))) {
            return; // the new version is in place, or the old one never left
        }
        LOG.info("version store: putting back version {} of {}, whose forced re-publish did not finish", version, project);
        moveIfExists(from.resolve("archive.tar.gz"), Files.createDirectories(project.resolve(ARCHIVE)).resolve(version + ".tar.gz"));
        moveIfExists(from.resolve("manifest.json"), Files.createDirectories(project.resolve(MANIFEST)).resolve(version + ".json"));
        moveIfExists(from.resolve("status"), Files.createDirectories(project.resolve(STATUS)).resolve(version));
        move(from.resolve("files"), project.resolve(version));
    }

    /**
     * Removes aside directories (putting back a version a forced re-publish had set aside) and archives, manifests
     * and marks whose version directory is not there.
     */
    private void recover() throws IOException { // from the constructor: no thread of this server sees the store yet
        try (Stream<Path> projects = Files.list(root)) {
            for (Path project : projects.filter(Files::isDirectory).toList()) {
                String name = project.getFileName().toString();
                if (name.equals(LOCKS)) continue;
                if (name.startsWith(ASIDE)) { // a forgotten project's removal, cut short
                    PathUtils.deleteDirectory(project);
                    continue;
                }
                if (!FileMutex.ifFree(lockFile(name), () -> {
                    recover(project);
                    return null;
                })) {
                    LOG.info("version store: {} is being changed by another server; what an interrupted publish "
                            + "left there is removed at a later start", project);
                }
            }
        }
    }

    /** One project's leftovers, its lock held. */
    private void recover(Path project) throws IOException {
        try (Stream<Path> children = Files.list(project)) {
            for (Path p : children.toList()) {
                if (p.getFileName().toString().startsWith(ASIDE)) {
                    if (Files.isRegularFile(p.resolve(REPLACED).resolve("version"))) restore(project, p.resolve(REPLACED));
                    LOG.info("version store: removing {} left by an interrupted publish", p);
                    PathUtils.deleteDirectory(p);
                }
            }
        }
        orphans(project, project.resolve(ARCHIVE), ".tar.gz");
        orphans(project, project.resolve(MANIFEST), ".json");
        orphans(project, project.resolve(STATUS), "");
    }

    private static void orphans(Path project, Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(suffix)) continue;
                String version = name.substring(0, name.length() - suffix.length());
                if (!Files.isDirectory(project.resolve(version))) Files.deleteIfExists(f);
            }
        }
    }

    /**
     * Runs a change of a project's versions holding its lock ({@code .locks/<project>.lock}): the threads of this
     * server, the other servers of a cluster (which share the store) and their starts' cleanup, which leaves a locked
     * project alone.
     */
    private <T> T exclusive(String project, FileMutex.Work<T> change) throws IOException {
        return FileMutex.holding(lockFile(SafeFileName.of(project)), change);
    }

    private Path lockFile(String projectDirName) {
        return root.resolve(LOCKS).resolve(projectDirName + ".lock");
    }

    private Path projectDir(String project) {
        return root.resolve(SafeFileName.of(project));
    }

    private Optional<StoredVersion> read(Path dir, String version) throws IOException {
        Path manifest = dir.resolve(MANIFEST).resolve(version + ".json");
        if (!Files.isRegularFile(manifest)) return Optional.empty();
        Path mark = dir.resolve(STATUS).resolve(version);
        VersionStatus status = VersionStatus.NEW;
        List<String> failedOn = new ArrayList<>();
        if (Files.isRegularFile(mark)) {
            List<String> lines = Files.readAllLines(mark);
            status = lines.isEmpty() ? VersionStatus.NEW : VersionStatus.of(lines.getFirst().trim()).orElse(VersionStatus.NEW);
            if (status == VersionStatus.BAD) {
                for (String line : lines.subList(1, lines.size())) {
                    if (line.startsWith(FAILED_ON)) failedOn.add(line.substring(FAILED_ON.length()));
                }
            }
        }
        return Optional.of(new StoredVersion(fromJson(json.readTree(manifest.toFile())), status, failedOn));
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        if (Files.exists(from)) move(from, to);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private ObjectNode toJson(VersionManifest m) {
        ObjectNode n = json.createObjectNode();
        n.put("project", m.project());
        n.put("version", m.version());
        n.put("commit", m.commit());
        n.put("run", m.runKey());
        n.put("job", m.job());
        n.put("createdAt", m.createdAt().toString());
        ArrayNode files = n.putArray("files");
        for (var f : m.files()) files.addObject().put("path", f.path()).put("size", f.size()).put("sha256", f.sha256());
        return n;
    }

    private static VersionManifest fromJson(JsonNode n) {
        List<VersionManifest.FileEntry> files = new ArrayList<>();
        for (JsonNode f : n.path("files")) {
            files.add(new VersionManifest.FileEntry(f.path("path").asText(), f.path("size").asLong(), f.path("sha256").asText()));
        }
        return new VersionManifest(n.path("project").asText(), n.path("version").asText(),
                n.path("commit").isNull() ? null : n.path("commit").asText(null), n.path("run").asText(null),
                n.path("job").asText(null), Instant.parse(n.path("createdAt").asText()), files);
    }
}
