package io.stoker.server.agent;

import java.time.Instant;
import java.util.List;

/**
 * One agent as the agents list shows it: what is stored plus its live state.
 *
 * @param status       {@code online}, {@code offline} or {@code blocked}
 * @param statusReason why it is offline or blocked, null when online
 * @param lastSeen     when it last answered (this server run), null when never
 * @param mode         {@code ssh} (the server dials the agent) or {@code pull} (the agent dials the server)
 */
public record AgentState(Agent agent, String status, String statusReason, int busy, List<CurrentTask> tasks,
                         Instant lastSeen, String mode) {
}
