package io.stoker.agent.ssh;

import io.stoker.engine.exec.Executor;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The engine's executor port for one agent: each attempt runs detached on it (see {@link RemoteAttempt}, or
 * {@link PersistentAttempt} where the agent program runs). A connection that drops while an attempt's files go up
 * (before anything runs) is waited out like an offline agent, and the start tried again on the next connection.
 */
final class SshExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SshExecutor.class);
    /** Connections a start may see drop under it before it fails. */
    private static final int TRIES = 3;

    private final SshAgent agent;

    SshExecutor(SshAgent agent) {
        this.agent = agent;
    }

    @Override
    public RunningTask start(TaskLaunch launch) throws IOException {
        RemoteAttempt.Prepared prepared = null;
        for (int tries = 1; prepared == null; tries++) {
            AgentLink link = agent.awaitLink();
            try {
                if (link.program() != null) return PersistentAttempt.start(agent, launch, link);
                if (launch.container() != null) {
                    // shell mode has no container executor: running on the bare host would silently ignore the image
                    throw new IOException("a task with an image needs the agent program on the agent, which runs in"
                            + " shell mode (" + agent.modeReason() + ")");
                }
                prepared = RemoteAttempt.prepare(agent, launch, link);
            } catch (IOException e) {
                // the link closed under a start that ran nothing yet: the next connection takes it
                if (link.open() || tries == TRIES) throw e;
                LOG.info("agent {}: the connection dropped while {}/{} was starting ({}); starting it again once"
                        + " connected", agent.endpoint().name(), launch.runKey(), launch.task(), e.getMessage());
                agent.linkFailed(link);
            }
        }
        return RemoteAttempt.launch(prepared); // once tried, the task may run: not tried again
    }

    @Override
    public String toString() {
        return "SshExecutor[" + agent.endpoint().name() + "]";
    }
}
