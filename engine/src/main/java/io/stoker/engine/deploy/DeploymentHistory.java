package io.stoker.engine.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: where deployments are recorded (the server keeps them in its database). */
public interface DeploymentHistory {

    /** Stores a new deployment and returns its id. */
    long add(Deployment deployment) throws Exception;

    /** Records how a running deployment ended; false when it was not running (already ended). */
    boolean end(long id, DeploymentState state, String detail, Instant at) throws Exception;

    /** The deployment its run does, when there is one. */
    Optional<Deployment> byRun(String runKey) throws Exception;

    /** A project's deployments, newest first; of one target when {@code target} is not null. */
    List<Deployment> list(String project, String target, int limit) throws Exception;

    /** Deployments of every project still recorded running, oldest first, at most {@code limit}. */
    List<Deployment> running(int limit) throws Exception;
}
