package io.stoker.dsl.validate;

import io.stoker.model.DidYouMean;
import io.stoker.model.Pos;

/**
 * The scope of an after trigger's parameter templates: they are rendered against the finished run of the upstream
 * job, so {@code outputs.TASK.KEY} names one of that job's tasks (or a cell of its matrix). In a {@link Scope} of this
 * kind {@code upstream} holds the upstream job's task names (null when that job is not in this Jobfile: nothing to
 * check against) and {@code writer} the upstream job's name.
 */
final class AfterTriggerScope {
    static final String WHERE = "after trigger";

    private AfterTriggerScope() {
    }

    static void outputs(String name, Scope scope, Pos pos, Problems problems) {
        if (scope.upstream() == null) return;
        int bracket = name.indexOf('[');
        String base = bracket > 0 && name.endsWith("]") ? name.substring(0, bracket) : name;
        if (!scope.upstream().contains(base)) {
            problems.error(pos, "after trigger reads outputs of unknown task '" + name + "' of job '" + scope.writer()
                    + "'" + DidYouMean.suffix(base, scope.upstream()));
        }
    }
}
