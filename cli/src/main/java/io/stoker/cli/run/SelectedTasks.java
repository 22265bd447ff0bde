package io.stoker.cli.run;

import io.stoker.cli.CliException;
import io.stoker.engine.run.TaskSelection;
import io.stoker.model.Job;

import java.util.List;

/** {@code --task}: the tasks of a local run (or its plan) asked for, in the words the console shows them. */
public final class SelectedTasks {
    private SelectedTasks() {
    }

    /**
     * The tasks {@code names} ask for and what they need ({@link TaskSelection#ALL} without names); a name that is no
     * task of the job is refused (exit 2) with the names the job has.
     */
    public static TaskSelection of(Job job, List<String> names) {
        String refused = TaskSelection.refusal(job, names);
        if (refused != null) {
            throw CliException.invalid("--task " + String.join(", ", TaskSelection.unknown(job, names)) + ": " + refused);
        }
        return TaskSelection.of(job, names);
    }

    /** e.g. {@code test and what it needs}, {@code lint, test and what they need}. */
    public static String phrase(TaskSelection selection) {
        return phrase(selection.named());
    }

    /** The same for the names a run's trigger asked for (a server's run shows them as {@code selectedTasks}). */
    public static String phrase(List<String> named) {
        return String.join(", ", named) + " and what " + (named.size() == 1 ? "it needs" : "they need");
    }
}
