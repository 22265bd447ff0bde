package io.stoker.engine.version;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * What a successful run publishes: its tasks' artifact zips, unpacked into one file tree.
 *
 * @param commit null when the run had none
 * @param zips   task name → the task's artifact zip, in task order
 * @param force  replace an existing version instead of refusing (an administrator's decision)
 */
public record Release(String project, String version, String runKey, String job, String commit, Map<String, Path> zips,
                      boolean force, Instant createdAt) {
    public Release {
        zips = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(zips));
    }
}
