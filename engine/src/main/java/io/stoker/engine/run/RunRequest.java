package io.stoker.engine.run;

import io.stoker.engine.params.ResolvedParameters;
import io.stoker.model.Job;

import java.nio.file.Path;
import java.util.Map;

/**
 * What to run.
 *
 * @param parameters already resolved ({@link io.stoker.engine.params.ParameterResolver})
 * @param workspace  an existing directory shared by every task of the run
 * @param secrets    name → value; a task receives those its job or task declares, and every value is masked in logs
 * @param parallel   at most this many tasks run at once (a pipe group larger than this runs alone); ≥ 1
 * @param reused     task name → the earlier result this run takes over instead of running the task (a partial
 *                   rerun, see {@link ReusedTask}); a pipe group is taken over only when every member is listed,
 *                   otherwise the whole group runs again
 * @param forcePublish the job's {@code publish} replaces a version that exists instead of failing the run (an
 *                     administrator asked for it)
 * @param selection  the tasks the run is asked for ({@link TaskSelection#ALL}: every task); the others end skipped
 *                   without running, and a run of some tasks publishes no version
 * @param resumed    for a run resumed after a restart, its first start and its gates ({@code reused} then holds
 *                   its own tasks that had ended, {@link ReusedTask#kept}); {@link Resumption#NONE} for any other run
 */
public record RunRequest(Job job, ResolvedParameters parameters, RunContext context, Path workspace,
                         Map<String, String> secrets, int parallel, Map<String, ReusedTask> reused,
                         boolean forcePublish, TaskSelection selection, Resumption resumed) {

    public RunRequest {
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        parameters = parameters == null ? ResolvedParameters.NONE : parameters;
        reused = reused == null ? Map.of() : Map.copyOf(reused);
        selection = selection == null ? TaskSelection.ALL : selection;
        resumed = resumed == null ? Resumption.NONE : resumed;
        if (parallel < 1) throw new IllegalArgumentException("parallel must be at least 1, was " + parallel);
    }

    /** A run that does not resume an earlier start. */
    public RunRequest(Job job, ResolvedParameters parameters, RunContext context, Path workspace,
                      Map<String, String> secrets, int parallel, Map<String, ReusedTask> reused,
                      boolean forcePublish, TaskSelection selection) {
        this(job, parameters, context, workspace, secrets, parallel, reused, forcePublish, selection, Resumption.NONE);
    }

    /** A run of every task that takes over {@code reused}. */
    public RunRequest(Job job, ResolvedParameters parameters, RunContext context, Path workspace,
                      Map<String, String> secrets, int parallel, Map<String, ReusedTask> reused,
                      boolean forcePublish) {
        this(job, parameters, context, workspace, secrets, parallel, reused, forcePublish, TaskSelection.ALL);
    }

    /** A run of every task. */
    public RunRequest(Job job, ResolvedParameters parameters, RunContext context, Path workspace,
                      Map<String, String> secrets, int parallel) {
        this(job, parameters, context, workspace, secrets, parallel, Map.of(), false, TaskSelection.ALL);
    }

    /** This request, taking over the results of {@code tasks} instead of running them. */
    public RunRequest withReused(Map<String, ReusedTask> tasks) {
        return new RunRequest(job, parameters, context, workspace, secrets, parallel, tasks, forcePublish, selection,
                resumed);
    }

    /** This request, resuming after a restart from its first start with its tasks' gates as they were. */
    public RunRequest withResumed(Resumption resumption) {
        return new RunRequest(job, parameters, context, workspace, secrets, parallel, reused, forcePublish, selection,
                resumption);
    }

    /** This request, running only the tasks {@code tasks} selects. */
    public RunRequest withSelection(TaskSelection tasks) {
        return new RunRequest(job, parameters, context, workspace, secrets, parallel, reused, forcePublish, tasks,
                resumed);
    }
}
