package io.stoker.engine.start;

import io.stoker.engine.params.ResolvedParameters;
import io.stoker.engine.run.Resumption;
import io.stoker.engine.run.ReusedTask;
import io.stoker.engine.run.RunContext;
import io.stoker.engine.run.TaskSelection;
import io.stoker.model.Job;

import java.nio.file.Path;
import java.util.Map;

/**
 * A run ready to be started by {@link RunStarter#start}.
 *
 * @param parameters resolved once, by {@link RunStarter#parameters} (the server does it when it queues the run)
 * @param secrets    the values {@link RunStarter#secrets} fetched
 * @param workspace  where the run works: created if missing, then filled by {@code files}
 * @param reused     the tasks a partial rerun takes over ({@link io.stoker.engine.run.PartialRerun}); empty for a full run
 * @param forcePublish {@code publish} replaces an existing version (see {@link io.stoker.engine.run.RunRequest})
 * @param selection  the tasks asked for, {@link TaskSelection#ALL} for every task (see {@link TaskSelection})
 * @param resumed    the first start and gates of a run resumed after a restart (see
 *                   {@link io.stoker.engine.run.Resumption}); {@code NONE} for any other run
 */
public record RunStart(Job job, ResolvedParameters parameters, RunContext context, Map<String, String> secrets,
                       Path workspace, WorkspaceSource files, Map<String, ReusedTask> reused, boolean forcePublish,
                       TaskSelection selection, Resumption resumed) {

    public RunStart {
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        files = files == null ? WorkspaceSource.EMPTY : files;
        reused = reused == null ? Map.of() : Map.copyOf(reused);
        selection = selection == null ? TaskSelection.ALL : selection;
        resumed = resumed == null ? Resumption.NONE : resumed;
    }

    /** A run that does not resume an earlier start. */
    public RunStart(Job job, ResolvedParameters parameters, RunContext context, Map<String, String> secrets,
                    Path workspace, WorkspaceSource files, Map<String, ReusedTask> reused, boolean forcePublish,
                    TaskSelection selection) {
        this(job, parameters, context, secrets, workspace, files, reused, forcePublish, selection, Resumption.NONE);
    }

    /** A run of every task that takes over {@code reused}. */
    public RunStart(Job job, ResolvedParameters parameters, RunContext context, Map<String, String> secrets,
                    Path workspace, WorkspaceSource files, Map<String, ReusedTask> reused, boolean forcePublish) {
        this(job, parameters, context, secrets, workspace, files, reused, forcePublish, TaskSelection.ALL);
    }

    /** A run of every task. */
    public RunStart(Job job, ResolvedParameters parameters, RunContext context, Map<String, String> secrets,
                    Path workspace, WorkspaceSource files) {
        this(job, parameters, context, secrets, workspace, files, Map.of(), false, TaskSelection.ALL);
    }

    /** A run that takes over {@code reused} and refuses to replace a version. */
    public RunStart(Job job, ResolvedParameters parameters, RunContext context, Map<String, String> secrets,
                    Path workspace, WorkspaceSource files, Map<String, ReusedTask> reused) {
        this(job, parameters, context, secrets, workspace, files, reused, false, TaskSelection.ALL);
    }
}
