package io.stoker.agent.ssh;

import io.stoker.engine.exec.Executor;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;

import java.io.IOException;

/** The engine's executor port for one agent: each attempt runs detached on it (see {@link RemoteAttempt}). */
final class SshExecutor implements Executor {
    private final SshAgent agent;

    SshExecutor(SshAgent agent) {
        this.agent = agent;
    }

    @Override
    public RunningTask start(TaskLaunch launch) throws IOException {
        AgentLink link = agent.awaitLink();
        if (link.program() != null) return PersistentAttempt.start(agent, launch, link);
        if (launch.container() != null) {
            // shell mode has no container executor: running on the bare host would silently ignore the image
            throw new IOException("a task with an image needs the agent program on the agent, which runs in shell mode ("
                    + agent.modeReason() + ")");
        }
        return RemoteAttempt.start(agent, launch);
    }

    @Override
    public String toString() {
        return "SshExecutor[" + agent.endpoint().name() + "]";
    }
}
