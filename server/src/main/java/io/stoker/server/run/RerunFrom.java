package io.stoker.server.run;

import io.stoker.engine.run.PartialRerun;
import io.stoker.engine.run.ReusedTask;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.TaskSelection;
import io.stoker.model.Job;

import java.util.List;
import java.util.Map;

/**
 * Where a partial rerun starts: the task named, or every cell of the matrix task of that name ({@code needs 'test'}
 * means all the cells, so {@code from: test} does too). What the starting tasks wait for and succeeded is reused;
 * they and everything after any of them (the tasks that need one, directly or not) run again, and the tasks beside
 * them keep their earlier results.
 */
final class RerunFrom {
    private RerunFrom() {
    }

    /** The tasks {@code from} names in the job, in start order; empty when it names none. */
    static List<String> tasks(Job job, String from) {
        return TaskSelection.tasksNamed(job, from);
    }

    /** The earlier run's tasks a rerun from {@code from} takes over (see {@link PartialRerun}). */
    static Map<String, ReusedTask> reused(Job job, String from, RunRecord earlier) {
        return new PartialRerun(job, tasks(job, from)).reused(earlier);
    }
}
