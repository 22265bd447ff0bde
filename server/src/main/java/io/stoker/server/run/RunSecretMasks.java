package io.stoker.server.run;

import io.stoker.engine.log.SecretMask;
import io.stoker.model.Job;
import io.stoker.model.Task;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The mask of a run's secrets, made again after the run from the secrets its job declares: for what the server
 * shows of a run that the engine did not mask while it ran, such as the names of the files in its artifacts.
 */
public final class RunSecretMasks {
    /** The values of secrets {@code names} that {@code project} may read. */
    @FunctionalInterface
    public interface Values {
        Collection<String> of(String project, Collection<String> names) throws Exception;
    }

    private final RunRepository runs;
    private final Values values;

    public RunSecretMasks(RunRepository runs, Values values) {
        this.runs = runs;
        this.values = values;
    }

    /** Throws when the secrets cannot be read now (a Vault that is down): what needs masking must then be withheld. */
    public SecretMask of(RunRow run) throws Exception {
        Job job = runs.model(run.key()).orElse(null);
        if (job == null) return SecretMask.NONE; // no plan stored: the run never started, nothing of it to mask
        Set<String> names = declaredBy(job);
        return names.isEmpty() ? SecretMask.NONE : SecretMask.of(values.of(run.project(), names));
    }

    /** The secrets a job declares, its own and its tasks': what its runs' output may hold. */
    public static Set<String> declaredBy(Job job) {
        Set<String> names = new LinkedHashSet<>(job.secrets());
        for (Task t : job.tasks()) names.addAll(t.secrets());
        return names;
    }
}
