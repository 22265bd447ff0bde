package io.stoker.agent.ssh;

/** How an agent runs tasks. */
public enum AgentMode {
    /**
     * The Stoker agent program runs on the host (uploaded over SFTP, started over one long-lived SSH channel) and
     * tasks travel as protocol frames on that channel: no SSH exec per task.
     */
    PERSISTENT,
    /** No suitable Java on the host: every task is started, watched and cleaned up with shell commands over SSH. */
    SHELL
}
