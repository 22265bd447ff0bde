package io.stoker.engine.run;

import java.util.List;
import java.util.Set;

/**
 * Tasks joined by {@code input}, scheduled together: its members (writers before readers), the tasks outside it
 * they wait for, and, once decided, those that really run. Guarded by the run's lock.
 */
final class PipeGroup {
    final List<TaskRun> members;
    final Set<String> external;
    /** Whether the group's results are taken over from an earlier run rather than run (every member is reused). */
    final boolean reused;
    boolean decided;
    List<TaskRun> toRun = List.of();
    /** Approval gates of {@code toRun} still undecided; the group is queued when none is left. */
    int gates;
    /** Parallel slots it holds while it runs: one per member, less a lone task's while it waits for a triggered run. */
    int slotsHeld;

    PipeGroup(List<TaskRun> members, Set<String> external, boolean reused) {
        this.members = members;
        this.external = external;
        this.reused = reused;
    }

    boolean contains(TaskRun t) {
        return members.contains(t);
    }
}
