package io.stoker.engine.run;

import io.stoker.engine.params.ResolvedParameters;
import io.stoker.model.Job;

import java.nio.file.Path;
import java.util.Map;

/**
 * What to run.
 *
 * @param parameters already resolved ({@link io.stoker.engine.params.ParameterResolver})
 * @param workspace  an existing directory shared by every task of the run
 * @param secrets    name → value; a task receives those its job or task declares, and every value is masked in logs
 * @param parallel   at most this many tasks run at once (a pipe group larger than this runs alone); ≥ 1
 */
public record RunRequest(Job job, ResolvedParameters parameters, RunContext context, Path workspace,
                         Map<String, String> secrets, int parallel) {

    public RunRequest {
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        parameters = parameters == null ? ResolvedParameters.NONE : parameters;
        if (parallel < 1) throw new IllegalArgumentException("parallel must be at least 1, was " + parallel);
    }
}
