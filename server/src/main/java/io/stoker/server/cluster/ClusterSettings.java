package io.stoker.server.cluster;

import io.stoker.server.outbox.OutboxSettings;

import java.time.Duration;
import java.util.Map;

/**
 * How the servers of a cluster keep their runs: a run is leased to its server for {@code lease}, renewed every
 * {@code heartbeat()} (a third of it), so a server is taken for lost after missing about three heartbeats.
 * {@code address} is what other servers and {@code GET /cluster} show for this one (empty: the URL it listens on).
 */
public record ClusterSettings(Duration lease, String address) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    public ClusterSettings {
        if (lease.toMillis() < 300) throw new IllegalArgumentException("STOKER_CLUSTER_LEASE must be at least 300ms, was "
                + lease.toMillis() + "ms");
    }

    /** {@code STOKER_CLUSTER_LEASE} ({@code 30s} by default) and {@code STOKER_CLUSTER_ADDRESS}. */
    public static ClusterSettings fromEnv(Map<String, String> env) {
        return new ClusterSettings(OutboxSettings.get(env, "STOKER_CLUSTER_LEASE", DEFAULT_LEASE),
                env.getOrDefault("STOKER_CLUSTER_ADDRESS", "").trim());
    }

    /** How often a server heartbeats and renews the leases of its runs. */
    public Duration heartbeat() {
        return lease.dividedBy(3);
    }
}
