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
        if (launch.container() != null) {
            // running it on the agent's bare host would silently ignore the image the Jobfile asked for
            throw new IOException("tasks with an image run on the server only for now; remove its agent expression");
        }
        AgentLink link = agent.awaitLink();
        if (link.program() != null) return PersistentAttempt.start(agent, launch, link);
        return RemoteAttempt.start(agent, launch);
    }

    @Override
    public String toString() {
        return "SshExecutor[" + agent.endpoint().name() + "]";
    }
}
