package io.stoker.dsl.validate;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.Located;

import java.util.Set;
import java.util.regex.Pattern;

/** A light check of cron and poll specs (five fields, Jenkins characters incl. H) and of after-triggers. */
final class TriggerChecks {
    private static final Pattern FIELD = Pattern.compile("[0-9A-Za-z*/,?#()-]+");
    private static final Set<String> ALIASES =
            Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

    private TriggerChecks() {
    }

    static void check(JobDraft job, Problems problems) {
        for (Located<String> spec : job.cronTriggers) schedule("cron", spec, problems);
        for (Located<String> spec : job.pollTriggers) schedule("poll", spec, problems);
        for (JobDraft.AfterDraft after : job.afterTriggers) {
            if (NameChecks.blank(after.job())) {
                problems.error(after.pos(), "an after trigger needs the name of the job it follows");
            }
        }
    }

    private static void schedule(String kind, Located<String> spec, Problems problems) {
        String text = spec.value() == null ? "" : spec.value().trim();
        if (ALIASES.contains(text)) return;
        String[] fields = text.isEmpty() ? new String[0] : text.split("\\s+");
        if (fields.length != 5) {
            problems.error(spec.pos(), kind + " spec '" + text + "' needs 5 fields (minute hour day month weekday), found "
                    + fields.length);
            return;
        }
        for (String field : fields) {
            if (!FIELD.matcher(field).matches()) {
                problems.error(spec.pos(), kind + " spec '" + text + "' has an unexpected character in field '" + field + "'");
                return;
            }
        }
    }
}
