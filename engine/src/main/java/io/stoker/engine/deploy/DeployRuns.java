package io.stoker.engine.deploy;

import io.stoker.engine.start.WorkspaceSource;
import io.stoker.model.Job;

/**
 * Port: queues a run of a deployment's job whose workspace {@code files} fill, and answers its run key.
 * {@code saved} gets the key once the run is stored and before it can start, so whatever is recorded about it there
 * is in place before the run can end. {@code startedBy} is the user who asked for the deployment, or null for one
 * Stoker started itself (an automatic rollback).
 */
@FunctionalInterface
public interface DeployRuns {
    String start(String project, Job job, String startedBy, WorkspaceSource files, Saved saved) throws Exception;

    /** Work done with the new run's key before it can start. */
    @FunctionalInterface
    interface Saved {
        void run(String runKey) throws Exception;
    }
}
