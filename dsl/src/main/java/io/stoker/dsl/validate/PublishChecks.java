package io.stoker.dsl.validate;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.model.Publish;

import java.util.Set;

/**
 * {@code publish}: a version written as plain text must name a version; a template may read parameters, run facts
 * and the outputs of any task (it is rendered after the whole run); retention counts are not negative.
 */
final class PublishChecks {
    /** The scope's "task" while checking the version template: no task can have this name (it holds a space). */
    static final String WHERE = "publish version";

    private PublishChecks() {
    }

    static void check(JobDraft job, Set<String> allCells, Set<String> params, Set<String> secrets,
                      ExpressionChecks expressions, Problems problems) {
        JobDraft.PublishDraft publish = job.publish;
        if (publish == null) return;
        nonNegative(publish.keepLast(), "keepLast", problems);
        nonNegative(publish.keepDays(), "keepDays", problems);
        Located<String> version = publish.version();
        if (version == null || version.value() == null) return;
        if (!version.value().contains("${{")) {
            String why = Publish.invalidVersion(version.value());
            if (why != null) problems.error(version.pos(), "publish: " + why);
            return;
        }
        var scope = new Scope(WHERE, allCells, null, Set.of(), params, secrets);
        expressions.template(version.value(), version.pos(), "publish version", scope);
    }

    private static void nonNegative(Located<Integer> count, String option, Problems problems) {
        if (count != null && count.value() != null && count.value() < 0) {
            problems.error(count.pos(), "publish " + option + " must be 0 (no such rule) or more, got " + count.value());
        }
    }
}
