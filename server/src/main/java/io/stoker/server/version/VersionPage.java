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
}
