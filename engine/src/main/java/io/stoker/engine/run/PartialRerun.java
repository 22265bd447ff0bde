package io.stoker.engine.run;

import io.stoker.model.Job;
import io.stoker.model.Task;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rerun of an earlier run from some of its tasks (the task named, or every cell of a matrix task): those tasks
 * and the tasks after them — every task that needs one of them, directly or not — run again. Every other task is
 * taken over from the earlier run: a task before them only when it succeeded there (they need its result), a task
 * beside them (neither before nor after) as it ended there, failed or skipped included, unless it was cancelled or
 * never ended. A task taken over never needs, directly or not, a task that runs again.
 *
 * @param job    the job of both runs
 * @param starts the tasks it starts from
 */
public record PartialRerun(Job job, List<String> starts) {

    public PartialRerun {
        starts = List.copyOf(starts);
    }

    /**
     * A rerun of what did not succeed in {@code earlier}: it starts from each task that failed, timed out, was
     * cancelled or never ended there (GitLab's Retry, GitHub's "Re-run failed jobs"); the tasks it skipped after
     * those run again as the tasks after them, and the ones it skipped by their {@code when} or a selection stay
     * skipped. No starts when every task succeeded or was skipped.
     */
    public static PartialRerun ofFailed(Job job, RunRecord earlier) {
        return new PartialRerun(job, job.tasks().stream().map(Task::name)
                .filter(name -> earlier.tasks().containsKey(name) && didNotSucceed(earlier.tasks().get(name).state()))
                .toList());
    }

    private static boolean didNotSucceed(TaskState state) {
        return state.isFailure() || state == TaskState.CANCELLED || !state.isFinal();
    }

    /** The earlier run's tasks taken over; empty (everything runs) when a start is not a task of the job. */
    public Map<String, ReusedTask> reused(RunRecord earlier) {
        if (starts.isEmpty() || !starts.stream().allMatch(s -> job.task(s).isPresent())) return Map.of();
        TaskGraph graph = TaskGraph.of(job);
        Set<String> before = new HashSet<>();
        for (String s : starts) before.addAll(graph.transitiveUpstream(s));
        Set<String> kept = new HashSet<>();
        for (Task task : job.tasks()) {
            String name = task.name();
            TaskRecord there = earlier.tasks().get(name);
            if (there == null || isAfter(graph, name)) continue;
            if (before.contains(name) ? there.state() == TaskState.SUCCEEDED : keepsBeside(there.state())) kept.add(name);
        }
        // a task beside the starts whose needed task runs again runs again too, and so on down
        boolean dropped = true;
        while (dropped) {
            dropped = kept.removeIf(n -> !before.contains(n) && !kept.containsAll(graph.transitiveUpstream(n)));
        }
        Map<String, ReusedTask> out = new LinkedHashMap<>();
        earlier.tasks().forEach((name, t) -> {
            if (kept.contains(name)) {
                out.put(name, new ReusedTask(earlier.key(), t.state(), t.outputs(),
                        t.artifacts() == null ? null : Path.of(t.artifacts())));
            }
        });
        return out;
    }

    /** A start, or a task that needs one, directly or not. */
    private boolean isAfter(TaskGraph graph, String name) {
        return starts.contains(name) || graph.transitiveUpstream(name).stream().anyMatch(starts::contains);
    }

    /** Whether a task beside the starts keeps this end: any it came to, not a cancel that stopped it first. */
    private static boolean keepsBeside(TaskState state) {
        return state.isFinal() && state != TaskState.CANCELLED;
    }
}
