package io.stoker.server.cluster;

import java.time.Instant;

/**
 * A server of the cluster as {@code GET /cluster} lists it.
 *
 * @param alive    whether its last heartbeat is within one lease
 * @param runsHeld running runs it holds
 * @param pullAgents the pull agents connected to it at its last heartbeat
 */
public record ClusterServer(String id, String version, String address, Instant startedAt, Instant heartbeatAt,
                            boolean alive, int runsHeld, ConnectedAgents pullAgents) {
}
