package io.stoker.dsl.validate;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.model.DidYouMean;
import io.stoker.model.Step;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's script that reads a {@code $MATRIX_…} variable no axis of its matrix sets (a slip in the axis's name, or a
 * task without a matrix) gets a warning: the shell reads it as empty without a word, and the cells then all do the
 * same thing. A name the Jobfile sets itself in {@code env} is left alone.
 */
final class MatrixVariableChecks {
    private static final Pattern READ = Pattern.compile("\\$\\{?(MATRIX_[A-Za-z0-9_]+)");

    private MatrixVariableChecks() {
    }

    static void check(JobDraft job, TaskDraft task, Problems problems) {
        Set<String> axisVariables = new LinkedHashSet<>();
        task.matrix.keySet().forEach(axis -> axisVariables.add(MatrixExpansion.variable(axis)));
        Set<String> known = new LinkedHashSet<>(axisVariables);
        known.addAll(job.env.keySet());
        known.addAll(task.env.keySet());
        Set<String> told = new LinkedHashSet<>();
        for (Step step : task.steps) {
            if (!(step instanceof Step.Sh sh) || sh.script() == null) continue;
            Matcher m = READ.matcher(sh.script());
            while (m.find()) {
                String name = m.group(1);
                if (known.contains(name) || !told.add(name)) continue;
                problems.warning(sh.pos(), "$" + name + " is not set in task '" + task.name + "': "
                        + why(name, axisVariables));
            }
        }
    }

    private static String why(String name, Set<String> axisVariables) {
        if (axisVariables.isEmpty()) return "it has no matrix (a matrix axis sets one: jdk sets $MATRIX_JDK)";
        return "no axis of its matrix sets it" + DidYouMean.closest(name, axisVariables).map(c -> " — did you mean $" + c + "?")
                .orElse("") + " (its axes set $" + String.join(", $", axisVariables) + ")";
    }
}
