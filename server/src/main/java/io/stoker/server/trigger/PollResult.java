package io.stoker.server.trigger;

import io.stoker.server.forge.BranchFilter;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a poll found.
 *
 * @param heads   every branch head now (branch → SHA): store it and pass it as {@code lastSeen} next time
 * @param changes branches that are new or moved, sorted by name (deleted branches simply vanish from heads)
 */
public record PollResult(Map<String, String> heads, List<BranchChange> changes) {
    public PollResult {
        heads = Collections.unmodifiableSortedMap(new TreeMap<>(heads));
        changes = List.copyOf(changes);
    }

    /** The changes on branches matching the globs of {@link BranchFilter} (empty = all). */
    public List<BranchChange> changesMatching(List<String> branchGlobs) {
        return changes.stream().filter(c -> BranchFilter.matches(branchGlobs, c.branch())).toList();
    }
}
