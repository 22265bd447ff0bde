package io.stoker.engine.start;

import io.stoker.model.Job;
import io.stoker.model.Task;

/**
 * Tasks in images asking for {@code --privileged}, host networking or host mounts run only where that was allowed
 * (a project's admin setting on a server, a flag of {@code stoker run}): a run asking for it elsewhere is refused
 * before it starts, in one sentence naming the task, what it asked and the setting that allows it.
 */
public final class HostAccessPolicy {
    private HostAccessPolicy() {
    }

    /**
     * The refusal for {@code job} when host access is not allowed, or null when no task asks for it.
     *
     * @param setting how it would be allowed, e.g. "the project setting allowHostAccess, which an admin sets"
     */
    public static String refusal(Job job, String setting) {
        for (Task t : job.tasks()) {
            if (t.container() != null && t.container().hostAccess().any()) {
                return "task '" + t.name() + "' asks for " + String.join(", ", t.container().hostAccess().asked())
                        + ", which needs " + setting;
            }
        }
        return null;
    }
}
