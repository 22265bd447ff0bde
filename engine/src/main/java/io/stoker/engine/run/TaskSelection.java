package io.stoker.engine.run;

import io.stoker.model.DidYouMean;
import io.stoker.model.Job;
import io.stoker.model.Task;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tasks a run is asked for: the tasks named and every task they need, directly or not (their {@code needs} and
 * their pipe writers). A name is a task's, or a matrix task's base name, which stands for all its cells (as
 * {@code needs 'test'} does); a cell is named {@code test[jdk=17]}. The job's other tasks do not run: each ends
 * skipped ({@link #SKIP_REASON}) once the tasks it waits for ended, so the run's record still lists the whole job.
 *
 * @param named the names asked for, as given; empty for {@link #ALL}
 * @param tasks the concrete tasks that run, in the job's order; empty for {@link #ALL}
 */
public record TaskSelection(List<String> named, Set<String> tasks) {

    /** Every task of the job: a run without a selection. */
    public static final TaskSelection ALL = new TaskSelection(List.of(), Set.of());

    /** Why a task left out of the selection is skipped (its log and the run's record say it). */
    public static final String SKIP_REASON = "not selected for this run";

    public TaskSelection {
        named = List.copyOf(named);
        tasks = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(tasks));
    }

    /**
     * The tasks {@code names} ask for in {@code job} and what they need; {@link #ALL} when no name is given.
     *
     * @throws IllegalArgumentException when a name is no task of the job (check with {@link #unknown} first)
     */
    public static TaskSelection of(Job job, Collection<String> names) {
        if (names == null || names.isEmpty()) return ALL;
        List<String> unknown = unknown(job, names);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("job '" + job.name() + "' has no task " + String.join(", ", unknown));
        }
        TaskGraph graph = TaskGraph.of(job);
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : names) {
            for (String task : tasksNamed(job, name)) {
                wanted.add(task);
                wanted.addAll(graph.transitiveUpstream(task));
            }
        }
        return new TaskSelection(names.stream().distinct().toList(),
                new LinkedHashSet<>(job.tasks().stream().map(Task::name).filter(wanted::contains).toList()));
    }

    /** The concrete tasks a name stands for: the task of that name, or every cell of that matrix task; empty: none. */
    public static List<String> tasksNamed(Job job, String name) {
        if (job.task(name).isPresent()) return List.of(name);
        return job.tasks().stream().filter(t -> t.isMatrixCell() && t.baseName().equals(name)).map(Task::name).toList();
    }

    /** The names among {@code names} that are no task of the job, each once, in the order given. */
    public static List<String> unknown(Job job, Collection<String> names) {
        return names.stream().filter(n -> tasksNamed(job, n).isEmpty()).distinct().toList();
    }

    /**
     * Why {@code names} cannot select tasks of the job, e.g. {@code job 'ci' has no task 'tset' — did you mean 'test'?
     * (tasks: build, test)},
     * or null when every name is a task's: the words the CLI's {@code --task} and the server's trigger refuse with.
     */
    public static String refusal(Job job, Collection<String> names) {
        List<String> unknown = unknown(job, names == null ? List.of() : names);
        if (unknown.isEmpty()) return null;
        return "job '" + job.name() + "' has no task"
                + (unknown.size() == 1 ? " '" + unknown.getFirst() + "'" : "s '" + String.join("', '", unknown) + "'")
                + (unknown.size() == 1 ? DidYouMean.suffix(unknown.getFirst(), names(job)) : "")
                + " (tasks: " + String.join(", ", names(job)) + ")";
    }

    /** The names a selection may give in the job, in its order: each task's, a matrix task's name before its cells. */
    public static List<String> names(Job job) {
        Set<String> out = new LinkedHashSet<>();
        for (Task t : job.tasks()) {
            if (t.isMatrixCell()) out.add(t.baseName());
            out.add(t.name());
        }
        return List.copyOf(out);
    }

    /** Whether this is every task of the job. */
    public boolean all() {
        return tasks.isEmpty();
    }

    /** Whether the task runs in a run of this selection (it may still be skipped by its {@code when}). */
    public boolean includes(String task) {
        return all() || tasks.contains(task);
    }

    /**
     * The job cut to the selected tasks, for what looks at the tasks that run without running them: a plan, the
     * secrets or container engine they need. Every task it keeps has what it waits for, so it is a valid job; it
     * keeps no {@code publish}, as a run of some tasks publishes no version. The job itself when this is {@link #ALL}.
     */
    public Job cut(Job job) {
        if (all()) return job;
        return new Job(job.name(), job.description(), job.parameters(), job.env(), job.secrets(), job.timeoutMillis(),
                job.agent(), job.concurrency(), job.retryOnRestart(), job.triggers(),
                job.tasks().stream().filter(t -> tasks.contains(t.name())).toList(), job.notifications(), null,
                job.pos());
    }
}
