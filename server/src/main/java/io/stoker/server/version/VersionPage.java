package io.stoker.server.version;

import io.stoker.engine.version.StoredVersion;

import java.util.List;
import java.util.Map;

/**
 * One page of a project's versions, newest first, and how many matched in all.
 *
 * @param runNumbers the numbers of the runs that published them, by run key (a run since deleted has none)
 */
public record VersionPage(List<StoredVersion> versions, int total, Map<String, Long> runNumbers) {
    public VersionPage {
        versions = List.copyOf(versions);
        runNumbers = Map.copyOf(runNumbers);
    }

    /** The number of the run that published {@code v}; null when that run was deleted (or is not known). */
    public Long runNumberOf(StoredVersion v) {
        String key = v.manifest().runKey();
        return key == null ? null : runNumbers.get(key);
    }
}
