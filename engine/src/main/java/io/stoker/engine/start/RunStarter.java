package io.stoker.engine.start;

import io.stoker.engine.image.RegistryCredentials;
import io.stoker.engine.params.ParameterResolution;
import io.stoker.engine.params.ParameterResolver;
import io.stoker.engine.params.ResolvedParameters;
import io.stoker.engine.run.RunEngine;
import io.stoker.engine.run.RunHandle;
import io.stoker.engine.run.RunListener;
import io.stoker.engine.run.RunRequest;
import io.stoker.model.Job;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Prepares and starts runs on one engine, the same way for the server and the CLI: parameters are resolved once
 * ({@link #parameters}), the secrets the job declares are fetched once ({@link #secrets}), and {@link #start}
 * fills a fresh workspace and hands the engine its request. The steps are separate because callers need them at
 * different moments: the server checks parameters when it queues a run and starts it later, and a run that
 * cannot have its secrets must leave no workspace behind.
 */
public final class RunStarter {
    private final RunEngine engine;
    private final int parallel;

    /** @param parallel at most this many tasks of a run at once; ≥ 1 */
    public RunStarter(RunEngine engine, int parallel) {
        if (parallel < 1) throw new IllegalArgumentException("parallel must be at least 1, was " + parallel);
        this.engine = engine;
        this.parallel = parallel;
    }

    /** The job's parameters from the given strings over its defaults; every bad value at once when any is bad. */
    public static ResolvedParameters parameters(Job job, Map<String, String> given) {
        ParameterResolution resolution = ParameterResolver.resolve(job, given);
        if (!resolution.ok()) throw new InvalidParameters(job.name(), resolution.problems());
        return resolution.parameters();
    }

    /** The secrets the job or any of its tasks declare, then those it names as registry logins, in order. */
    public static Set<String> declaredSecrets(Job job) {
        Set<String> declared = new LinkedHashSet<>(job.secrets());
        job.tasks().forEach(t -> declared.addAll(t.secrets()));
        declared.addAll(RegistryCredentials.secretNames(job));
        return Collections.unmodifiableSet(declared);
    }

    /** The values of the secrets the job declares, from {@code source}; it is not asked when none are declared. */
    public static Map<String, String> secrets(Job job, SecretSource source) throws Exception {
        Set<String> declared = declaredSecrets(job);
        return declared.isEmpty() ? Map.of() : Map.copyOf(source.values(job.name(), declared));
    }

    /** Creates and fills the workspace, then starts the run; the listener hears its events after each is saved. */
    public RunHandle start(RunStart start, RunListener listener) throws IOException {
        Files.createDirectories(start.workspace());
        start.files().fill(start.workspace());
        return engine.start(new RunRequest(start.job(), start.parameters(), start.context(), start.workspace(),
                start.secrets(), parallel, start.reused(), start.forcePublish(), start.selection(),
                start.resumed()), listener);
    }
}
