package io.stoker.container;

import java.time.Duration;
import java.util.Set;

/**
 * How the container executor behaves; defaults in {@link #defaults()}.
 *
 * @param owner        written on every container as {@code io.stoker.owner}, so a restarted server removes its own
 *                     leftovers and never another server's
 * @param readyTimeout how long a service's {@code ready} command is retried before the task fails
 * @param pullTimeout  how long one image pull may take
 * @param insecureRegistries registry hosts ({@code host} or {@code host:port}) reached over plain HTTP besides
 *                     loopback ones
 */
public record ContainerSettings(String owner, Duration readyTimeout, Duration pullTimeout, Set<String> insecureRegistries) {

    public ContainerSettings {
        insecureRegistries = Set.copyOf(insecureRegistries);
    }

    public static ContainerSettings defaults() {
        return new ContainerSettings("stoker", Duration.ofMinutes(2), Duration.ofMinutes(10), Set.of());
    }

    public ContainerSettings withOwner(String owner) {
        return new ContainerSettings(owner, readyTimeout, pullTimeout, insecureRegistries);
    }

    public ContainerSettings withReadyTimeout(Duration readyTimeout) {
        return new ContainerSettings(owner, readyTimeout, pullTimeout, insecureRegistries);
    }

    public ContainerSettings withInsecureRegistries(Set<String> hosts) {
        return new ContainerSettings(owner, readyTimeout, pullTimeout, hosts);
    }
}
