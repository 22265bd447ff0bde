package io.stoker.engine.version;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which old versions go: a version is kept when it is among the newest {@code keepLast}, younger than
 * {@code keepDays}, marked good, or in {@code protectedVersions} (deployed now). Rules given as 0 do not apply;
 * with both 0 every version is kept.
 */
public record Retention(int keepLast, int keepDays) {

    /** The versions this retention removes from {@code versions} (newest first), given the time now. */
    public List<String> expired(List<StoredVersion> versions, Instant now, Set<String> protectedVersions) {
        if (keepLast <= 0 && keepDays <= 0) return List.of();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            StoredVersion v = versions.get(i);
            boolean recentEnough = keepDays > 0
                    && v.manifest().createdAt().isAfter(now.minus(Duration.ofDays(keepDays)));
            boolean amongLast = keepLast > 0 && i < keepLast;
            if (recentEnough || amongLast || v.status() == VersionStatus.GOOD || protectedVersions.contains(v.version())) {
                continue;
            }
            out.add(v.version());
        }
        return out;
    }

    /** Removes the expired versions of {@code project} from the store; returns them. */
    public List<String> apply(VersionStore store, String project, Instant now, Set<String> protectedVersions)
            throws IOException {
        List<String> gone = expired(store.list(project), now, protectedVersions);
        for (String v : gone) store.delete(project, v);
        return gone;
    }
}
