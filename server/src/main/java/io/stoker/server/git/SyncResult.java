package io.stoker.server.git;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mirror's refs right after a sync: branch name → commit SHA and tag name → commit SHA (annotated tags peeled).
 * Maps are sorted by name.
 */
public record SyncResult(Map<String, String> branches, Map<String, String> tags) {
    public SyncResult {
        branches = Collections.unmodifiableSortedMap(new TreeMap<>(branches));
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }
}
