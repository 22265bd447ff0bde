package io.stoker.server.run;

import io.stoker.model.Job;
import io.stoker.model.Step;
import io.stoker.model.Task;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A partial rerun ({@code rerun?from=<task>}) on an engine that always runs whole graphs: every task upstream of
 * {@code from} that succeeded in the earlier run is replaced by one step that writes its recorded outputs back to
 * {@code $STOKER_OUTPUT} and logs that it was reused; its artifact zip is copied into the new run by the
 * dispatcher. Everything else runs again. Limitation: outputs recorded masked (secrets) come back masked.
 */
public final class ReusePlan {
    private ReusePlan() {
    }

    /** The tasks whose results can be reused: succeeded and upstream of {@code from}. */
    public static Set<String> reusable(Job job, String from, RunRow earlier) {
        Set<String> upstream = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        job.task(from).ifPresent(t -> todo.addAll(t.upstream()));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (upstream.add(name)) job.task(name).ifPresent(t -> todo.addAll(t.upstream()));
        }
        Set<String> out = new LinkedHashSet<>();
        for (TaskRow t : earlier.tasks()) {
            if (upstream.contains(t.name()) && t.status() == io.stoker.engine.run.TaskState.SUCCEEDED) out.add(t.name());
        }
        return out;
    }

    /** The job with each reused task's steps replaced. */
    public static Job apply(Job job, Set<String> reused, RunRow earlier) {
        List<Task> tasks = new ArrayList<>();
        for (Task t : job.tasks()) {
            if (!reused.contains(t.name())) {
                tasks.add(t);
                continue;
            }
            TaskRow before = earlier.tasks().stream().filter(r -> r.name().equals(t.name())).findFirst().orElseThrow();
            Step replay = new Step.Sh(script(earlier.key(), before.outputs()), t.pos());
            tasks.add(new Task(t.name(), t.baseName(), t.matrix(), List.of(replay), t.needs(), t.input(), t.env(),
                    t.secrets(), List.of(), 0, 0, null, t.agent(), t.pos()));
        }
        return new Job(job.name(), job.description(), job.parameters(), job.env(), job.secrets(), job.timeoutMillis(),
                job.agent(), job.concurrency(), job.retryOnRestart(), job.triggers(), tasks, job.pos());
    }

    private static String script(String earlierKey, Map<String, Object> outputs) {
        String fence = "STOKER_REUSED_" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        StringBuilder s = new StringBuilder();
        s.append("echo 'reused the outputs and artifacts of run ").append(earlierKey).append("'\n");
        if (!outputs.isEmpty()) {
            s.append("cat >> \"$STOKER_OUTPUT\" <<'").append(fence).append("'\n");
            outputs.forEach((k, v) -> {
                String delim = "EOF_" + fence;
                s.append(k).append("<<").append(delim).append('\n').append(v).append('\n').append(delim).append('\n');
            });
            s.append(fence).append('\n');
        }
        return s.toString();
    }
}
