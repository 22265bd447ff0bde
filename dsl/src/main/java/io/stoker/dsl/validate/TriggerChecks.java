package io.stoker.dsl.validate;

import io.stoker.dsl.cron.CronSchedule;
import io.stoker.dsl.cron.InvalidCronException;
import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.Located;

/**
 * Cron and poll specs checked by the server's own parser ({@link CronSchedule}), so {@code stoker validate} refuses
 * exactly what the server would, in the same words; and after-triggers name a job.
 */
final class TriggerChecks {
    private TriggerChecks() {
    }

    static void check(JobDraft job, Problems problems) {
        for (Located<String> spec : job.cronTriggers) schedule(job, spec, problems);
        for (Located<String> spec : job.pollTriggers) schedule(job, spec, problems);
        for (JobDraft.AfterDraft after : job.afterTriggers) {
            if (NameChecks.blank(after.job())) {
                problems.error(after.pos(), "an after trigger needs the name of the job it follows");
            }
        }
    }

    private static void schedule(JobDraft job, Located<String> spec, Problems problems) {
        try {
            // H's value depends on the job's identity, whether the spec is valid does not
            CronSchedule.parse(spec.value(), String.valueOf(job.name));
        } catch (InvalidCronException e) {
            problems.error(spec.pos(), e.getMessage());
        }
    }
}
