package io.stoker.engine.start;

import java.util.Map;
import java.util.Set;

/**
 * Where a run's secret values come from. It is asked once per run, for exactly the names the job and its tasks
 * declare, so a run neither sees nor masks secrets it never asked for.
 */
@FunctionalInterface
public interface SecretSource {
    /** No secrets at all (every declared name is left out). */
    SecretSource NONE = (job, declared) -> Map.of();

    /**
     * The values of {@code declared} (never empty) for a run of {@code job}; a source may leave out names it
     * does not have, or refuse the run by throwing (a store that cannot be read, a name the user must give).
     */
    Map<String, String> values(String job, Set<String> declared) throws Exception;
}
