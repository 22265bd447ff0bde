package io.stoker.engine.deploy;

import io.stoker.engine.start.WorkspaceSource;
import io.stoker.model.Job;

/** Port: queues a run of a deployment's job whose workspace {@code files} fill; answers its run key. */
@FunctionalInterface
public interface DeployRuns {
    String start(String project, Job job, WorkspaceSource files) throws Exception;
}
