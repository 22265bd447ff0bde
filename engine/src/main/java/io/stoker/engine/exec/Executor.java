package io.stoker.engine.exec;

import java.io.IOException;

/**
 * Runs task attempts somewhere: on this machine ({@code LocalExecutor}), on an agent over SSH, or in a test fake.
 * One small port so the scheduler never knows where a process lives.
 */
public interface Executor {

    /** Starts one attempt of a task and returns at once; the attempt's steps run one after another. */
    RunningTask start(TaskLaunch launch) throws IOException;
}
