package io.stoker.server.version;

import io.stoker.engine.version.DeployedVersions;
import io.stoker.engine.version.StoredVersion;
import io.stoker.engine.version.VersionStatus;
import io.stoker.engine.version.VersionStore;
import io.stoker.server.Refused;
import io.stoker.server.project.ProjectService;
import io.stoker.server.run.RunNumbers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the API and the CLI do with versions; a project or version that is not there is {@link Refused.NotFound}. */
public final class VersionService {
    private final VersionStore store;
    private final ProjectService projects;
    private final DeployedVersions deployed;
    private final RunNumbers runNumbers;

    public VersionService(VersionStore store, ProjectService projects) {
        this(store, projects, DeployedVersions.NONE, keys -> Map.of());
    }

    /**
     * @param deployed   what deploy targets run now: such a version is deleted only when forced
     * @param runNumbers the numbers of the runs that published versions, which people know runs by
     */
    public VersionService(VersionStore store, ProjectService projects, DeployedVersions deployed,
                          RunNumbers runNumbers) {
        this.deployed = deployed;
        this.runNumbers = runNumbers;
        this.store = store;
        this.projects = projects;
    }

    /**
     * The project's versions, newest first, whose name starts with {@code prefix} (null: any) and whose mark is
     * {@code status} (null: any); page 1 is the newest.
     */
    public VersionPage list(String project, String prefix, VersionStatus status, int page, int pageSize) throws Exception {
        projects.get(project);
        List<StoredVersion> all = store.list(project).stream()
                .filter(v -> prefix == null || v.version().startsWith(prefix))
                .filter(v -> status == null || v.status() == status).toList();
        int from = (int) Math.min(all.size(), (long) (page - 1) * pageSize);
        int to = (int) Math.min(all.size(), (long) from + pageSize);
        List<StoredVersion> shown = all.subList(from, to);
        return new VersionPage(shown, all.size(),
                runNumbers.of(shown.stream().map(v -> v.manifest().runKey()).filter(java.util.Objects::nonNull).distinct().toList()));
    }

    /** The newest version of a project, if any. */
    public Optional<StoredVersion> latest(String project) throws Exception {
        return store.list(project).stream().findFirst();
    }

    public StoredVersion get(String project, String version) throws Exception {
        projects.get(project);
        return store.find(project, version).orElseThrow(() -> missing(project, version));
    }

    public Path archive(String project, String version) throws Exception {
        get(project, version);
        return store.archive(project, version).orElseThrow(() -> missing(project, version));
    }

    public Path file(String project, String version, String path) throws Exception {
        get(project, version);
        return store.file(project, version, path).orElseThrow(() ->
                new Refused.NotFound("version " + version + " of project " + project + " has no file '" + path + "'"));
    }

    public StoredVersion mark(String project, String version, VersionStatus status) throws Exception {
        get(project, version);
        if (!store.mark(project, version, status)) throw missing(project, version);
        return get(project, version);
    }

    /**
     * Deletes a version; one a deploy target runs now (or is being given) only when {@code force}: without its files
     * it can neither be deployed again there nor rolled back to, as retention knows and keeps it.
     */
    public void delete(String project, String version, boolean force) throws Exception {
        get(project, version);
        if (!force && deployed.of(project).contains(version)) {
            throw new Refused.Conflict("deployed", "version " + version + " of project " + project + " is deployed now:"
                    + " deploy another version there first, or delete it anyway with ?force=true");
        }
        if (!store.delete(project, version)) throw missing(project, version);
    }

    private static Refused.NotFound missing(String project, String version) {
        return new Refused.NotFound("project " + project + " has no version '" + version + "'");
    }
}
