package io.stoker.server.api;

import io.stoker.engine.run.TaskState;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.TaskRow;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The order a followed log gives its tasks' lines in: by task start, and by time within a task. Tasks that had ended
 * when the follower came are sent whole, one after another (in the job's order for a run that has ended; else by
 * when they started); then the tasks running (or queued, or waiting at an approval gate) then, together, live; then the tasks that had not started, together,
 * once the running ones ended. So a follower attaching mid-run never gets a running task's backlog, or a later
 * task's lines, before the lines of a task that started earlier.
 */
record FollowOrder(List<String> ended, List<String> running, List<String> later) {

    /** Follows one task's log; {@code ended} runs on the response's context after its last line. */
    interface Subscriber {
        void subscribe(String task, Runnable ended);
    }

    static FollowOrder of(RunRow run, List<String> tasks) {
        if (run.isFinal()) return new FollowOrder(tasks, List.of(), List.of());
        Map<String, TaskRow> rows = run.tasks().stream().collect(Collectors.toMap(TaskRow::name, Function.identity()));
        Comparator<String> byStart = Comparator.comparing((String t) -> started(rows.get(t)))
                .thenComparing(tasks::indexOf);
        List<String> ended = tasks.stream().filter(t -> state(rows.get(t)).isFinal()).sorted(byStart).toList();
        List<String> running = tasks.stream().filter(t -> going(state(rows.get(t)))).sorted(byStart).toList();
        List<String> later = tasks.stream().filter(t -> state(rows.get(t)) == TaskState.PENDING).toList();
        return new FollowOrder(ended, running, later);
    }

    /** Subscribes in this order; {@code allEnded} runs once every task's log ended. */
    void stream(Subscriber subscriber, Runnable allEnded) {
        inTurn(subscriber, new ArrayDeque<>(ended),
                () -> together(subscriber, running, () -> together(subscriber, later, allEnded)));
    }

    private static void inTurn(Subscriber subscriber, Deque<String> tasks, Runnable then) {
        String task = tasks.poll();
        if (task == null) then.run();
        else subscriber.subscribe(task, () -> inTurn(subscriber, tasks, then));
    }

    private static void together(Subscriber subscriber, List<String> tasks, Runnable then) {
        if (tasks.isEmpty()) {
            then.run();
            return;
        }
        int[] open = {tasks.size()};
        for (String task : tasks) {
            subscriber.subscribe(task, () -> {
                if (--open[0] == 0) then.run();
            });
        }
    }

    /**
     * Whether a task's log is being written now, or will be without a start of its own: a task waiting at its
     * approval gate has said so in its log and goes on when someone decides.
     */
    private static boolean going(TaskState state) {
        return switch (state) {
            case WAITING, QUEUED, STARTING, RUNNING -> true;
            case PENDING, SUCCEEDED, FAILED, TIMEDOUT, CANCELLED, SKIPPED -> false;
        };
    }

    private static TaskState state(TaskRow row) {
        return row == null ? TaskState.PENDING : row.status();
    }

    private static Instant started(TaskRow row) {
        if (row == null) return Instant.MAX;
        if (row.startedAt() != null) return row.startedAt();
        return row.finishedAt() != null ? row.finishedAt() : Instant.MAX;
    }
}
