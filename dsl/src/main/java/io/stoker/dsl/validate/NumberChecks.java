package io.stoker.dsl.validate;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.TaskDraft;

/** Retry counts, time limits and concurrency within their ranges. */
final class NumberChecks {
    static final int MAX_RETRY = 10;

    private NumberChecks() {
    }

    static void job(JobDraft job, Problems problems) {
        timeout(job.timeoutMillis, "job '" + job.name + "'", problems);
        if (job.concurrency != null && job.concurrency.value() != null && job.concurrency.value() < 0) {
            problems.error(job.concurrency.pos(), "concurrency of job '" + job.name + "' must be 0 (no limit) or more, got "
                    + job.concurrency.value());
        } else if (job.concurrency != null && job.concurrency.value() != null
                && job.concurrency.value() > Integer.MAX_VALUE) {
            problems.error(job.concurrency.pos(), "concurrency of job '" + job.name + "' must be at most "
                    + Integer.MAX_VALUE + ", got " + job.concurrency.value());
        }
    }

    static void task(TaskDraft task, Problems problems) {
        timeout(task.timeoutMillis, "task '" + task.name + "'", problems);
        if (task.retry != null && task.retry.value() != null
                && (task.retry.value() < 0 || task.retry.value() > MAX_RETRY)) {
            problems.error(task.retry.pos(), "retry of task '" + task.name + "' must be between 0 and " + MAX_RETRY
                    + ", got " + task.retry.value());
        }
    }

    private static void timeout(Located<Long> timeout, String owner, Problems problems) {
        if (timeout != null && timeout.value() != null && timeout.value() <= 0) {
            problems.error(timeout.pos(), "timeout of " + owner + " must be positive");
        }
    }
}
