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
        named(names);
        String refused = TaskSelection.refusal(job, names);
        if (refused != null) {
            throw CliException.invalid("--task " + String.join(", ", TaskSelection.unknown(job, names)) + ": " + refused);
        }
        return TaskSelection.of(job, names);
    }

    /**
     * {@code names} as given, refused (exit 2) when one is empty ({@code --task ''}, an unset variable in a script):
     * it selects nothing, and running every task instead is what leaving {@code --task} out does, as the server's
     * trigger refuses an empty {@code tasks}.
     */
    public static List<String> named(List<String> names) {
        if (names != null && names.stream().anyMatch(String::isEmpty)) {
            throw CliException.usage("--task is empty: name a task to run, or leave --task out to run every task");
        }
        return names;
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
