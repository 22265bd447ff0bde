package io.stoker.dsl.validate;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.TaskDraft;

import java.util.List;
import java.util.Map;

/**
 * At most {@link JobfileValidator#MAX_TASKS_PER_JOB} tasks in a job after its matrices are expanded: the engine, the
 * server and the UI hold one entry per cell, so a YAML job of 5,000 tasks or a few matrices of 256 cells cost the same
 * as 5,000 written tasks. Told at the task that crosses the limit, in the Groovy front end's words.
 */
final class TaskCount {

    private TaskCount() {
    }

    static void check(JobDraft job, Map<String, TaskDraft> tasks, Map<String, List<Cell>> cells, Problems problems) {
        long count = 0;
        for (TaskDraft task : tasks.values()) {
            // a task whose matrix is wrong has no cells (its errors are told); it still is at least one task
            count += Math.max(1, cells.get(task.name).size());
            if (count > JobfileValidator.MAX_TASKS_PER_JOB) {
                problems.error(task.pos, "more than " + JobfileValidator.MAX_TASKS_PER_JOB + " tasks in job '" + job.name + "'");
                return;
            }
        }
    }
}
