package io.stoker.server.deploy;

import io.stoker.engine.deploy.Deployment;
import io.stoker.server.run.RunNumbers;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * The runs that did some deployments, named as people know runs ({@code PROJECT/deploy-TARGET#3}) rather than by
 * their keys: the numbers, read for a whole reply in one lookup.
 *
 * @param numbers the runs' numbers by run key (a run since deleted has none)
 */
public record DeploymentRuns(Map<String, Long> numbers) {
    public DeploymentRuns {
        numbers = Map.copyOf(numbers);
    }

    /** The numbers of the runs of {@code deployments} (null ones skipped), in one call of {@code port}. */
    public static DeploymentRuns of(RunNumbers port, Collection<Deployment> deployments) throws Exception {
        return new DeploymentRuns(port.of(deployments.stream().filter(Objects::nonNull).map(Deployment::runKey)
                .filter(Objects::nonNull).distinct().toList()));
    }

    /** The number of the run that did {@code d}; null when that run was deleted (or is not known). */
    public Long numberOf(Deployment d) {
        return d.runKey() == null ? null : numbers.get(d.runKey());
    }
}
