package io.stoker.agent.protocol;

import java.util.List;

/**
 * What a task changed in its workspace, measured by the agent against the workspace as it was when the task
 * started: entries created or changed (parents before children) and paths deleted (children before parents).
 */
public record WorkspaceChanges(List<FileEntry> changed, List<String> deleted) {
    public WorkspaceChanges {
        changed = List.copyOf(changed);
        deleted = List.copyOf(deleted);
    }

    public boolean isEmpty() {
        return changed.isEmpty() && deleted.isEmpty();
    }
}
