package io.stoker.container;

import java.time.Duration;

/**
 * How the container executor behaves; defaults in {@link #defaults()}.
 *
 * @param owner        written on every container as {@code io.stoker.owner}, so a restarted server removes its own
 *                     leftovers and never another server's
 * @param readyTimeout how long a service's {@code ready} command is retried before the task fails
 * @param pullTimeout  how long one image pull may take
 */
public record ContainerSettings(String owner, Duration readyTimeout, Duration pullTimeout) {

    public static ContainerSettings defaults() {
        return new ContainerSettings("stoker", Duration.ofMinutes(2), Duration.ofMinutes(10));
    }

    public ContainerSettings withOwner(String owner) {
        return new ContainerSettings(owner, readyTimeout, pullTimeout);
    }

    public ContainerSettings withReadyTimeout(Duration readyTimeout) {
        return new ContainerSettings(owner, readyTimeout, pullTimeout);
    }
}
