package io.stoker.server.agent;

import io.stoker.agent.ssh.AgentMode;

import java.time.Instant;
import java.util.List;

/**
 * One agent as the agents list shows it: what is stored plus its live state.
 *
 * @param status       {@code online}, {@code offline} or {@code blocked}
 * @param statusReason why it is offline or blocked, null when online
 * @param lastSeen     when it last answered (this server run), null when never
 * @param mode         how it runs tasks (persistent agent program or shell commands), null before a connection
 * @param modeReason   why it uses shell mode (no Java 21 on the host, …), else null
 * @param pull         whether it is a pull agent (it dials the server; {@code mode} is null then)
 */
public record AgentState(Agent agent, String status, String statusReason, int busy, List<CurrentTask> tasks,
                         Instant lastSeen, AgentMode mode, String modeReason, boolean pull) {
    /**
     * The host key the agent's machine showed when it is blocked because that key changed or never matched the pin,
     * else null: what a person checks on the machine before pinning it, so a page need not read it out of the reason.
     */
    public String offeredHostKey() {
        return "blocked".equals(status) ? HostKeyRemedy.offered(statusReason) : null;
    }
}
