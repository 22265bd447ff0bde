package io.stoker.dsl.isolate;

import io.stoker.dsl.CompileResult;

import java.time.Duration;
import java.util.Optional;

/**
 * Compiles a small real Jobfile in a fresh worker JVM with the given settings: what the start-up probe and
 * operators run to know Jobfiles can be compiled at all (a sandbox that runs {@code true} can still hide the
 * worker's class path).
 */
public final class SelfCheck {
    static final String JOBFILE = "job('self-check') { task('a') { sh 'true' } }";

    private SelfCheck() {
    }

    /** Empty when the Jobfile compiled; else why not, with the worker's stderr when it died. */
    public static Optional<String> run(WorkerSettings settings) {
        // a cold JVM compiles Groovy on a loaded machine: a generous limit, the check runs once
        WorkerSettings once = settings.withPoolSize(0).withTimeout(Duration.ofSeconds(Math.max(30,
                settings.timeout().toSeconds())));
        try (var compiler = new IsolatedJobfileCompiler(once)) {
            return switch (compiler.compile("self-check.Jobfile", JOBFILE)) {
                case CompileResult.Compiled c -> Optional.empty();
                case CompileResult.Rejected r -> Optional.of(String.join("; ", r.diagnostics().stream()
                        .map(d -> d.message()).toList()));
            };
        }
    }
}
