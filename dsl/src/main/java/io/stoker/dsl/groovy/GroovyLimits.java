package io.stoker.dsl.groovy;

import io.stoker.dsl.validate.JobfileValidator;

import java.time.Duration;

/**
 * Bounds on what one Groovy Jobfile may cost. Text sizes count characters. Every string the DSL collects counts its
 * length plus {@link #ENTRY_OVERHEAD} towards {@code maxCollectedChars}, so a flood of tiny entries is bounded too.
 *
 * @param maxScriptChars     the Jobfile text
 * @param maxNesting         brackets ((), [], {}) open at once; the compiler slows down steeply with nesting
 * @param maxJobs            jobs in one Jobfile (the validator holds every syntax to {@link JobfileValidator#MAX_JOBS})
 * @param maxTasksPerJob     tasks written in one job, so a loop cannot make millions; the validator then counts
 *                           matrix cells too, in every syntax ({@link JobfileValidator#MAX_TASKS_PER_JOB})
 * @param maxStepChars       one {@code sh} script
 * @param maxCollectedChars  everything the DSL collected, together
 * @param timeout            CPU time of the evaluating thread (running the script), so a loaded machine does not
 *                           stop a Jobfile that is merely slow in wall time; {@link #evaluationWallLimit} is the
 *                           wall-clock net
 * @param compileTimeout     CPU time of the compiling thread; separate because no Jobfile code runs then, and
 *                           CPU time rather than wall clock because the first compile in a cold JVM on a loaded
 *                           machine took more than 10 s of wall time; {@link #compileWallLimit} is the wall-clock net
 * @param maxAllocatedBytes  memory the evaluation may allocate (checked at every statement)
 */
public record GroovyLimits(int maxScriptChars, int maxNesting, int maxJobs, int maxTasksPerJob, int maxStepChars,
                           long maxCollectedChars, Duration timeout, Duration compileTimeout,
                           long maxAllocatedBytes) {

    public static final int ENTRY_OVERHEAD = 16;

    public static final GroovyLimits DEFAULTS = new GroovyLimits(1 << 20, 32,
            JobfileValidator.MAX_JOBS, JobfileValidator.MAX_TASKS_PER_JOB, 256 * 1024, 8L << 20,
            Duration.ofSeconds(5), Duration.ofSeconds(10), 256L << 20);

    /**
     * The shortest evaluation budget a server may set ({@code STOKER_JOBFILE_CPU}); the longest is the default's: the
     * isolated workers' own limits (wall clock, the kernel's CPU limit) leave room for that much and no more.
     */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(100);

    /** The system property a worker JVM reads its evaluation budget from, in milliseconds. */
    public static final String TIMEOUT_PROPERTY = "stoker.jobfile.cpuMillis";

    /** How many times {@link #compileTimeout} a compile may last in wall time, however little CPU it got. */
    public static final int COMPILE_WALL_FACTOR = 12;

    /** The wall-clock safety net for compiling: a compile thread that makes no progress is still stopped. */
    public Duration compileWallLimit() {
        return compileTimeout.multipliedBy(COMPILE_WALL_FACTOR);
    }

    /** The wall-clock safety net for evaluating: as for compiling, {@link #COMPILE_WALL_FACTOR} times the budget. */
    public Duration evaluationWallLimit() {
        return timeout.multipliedBy(COMPILE_WALL_FACTOR);
    }

    /** The defaults with the evaluation budget a worker JVM was given in {@link #TIMEOUT_PROPERTY}, if any. */
    public static GroovyLimits fromSystemProperty() {
        Long millis = Long.getLong(TIMEOUT_PROPERTY);
        return millis == null ? DEFAULTS : DEFAULTS.withTimeout(workerBudget(millis));
    }

    /** The evaluation budget a worker given {@code millis} in {@link #TIMEOUT_PROPERTY} holds to: clamped to what it allows. */
    public static Duration workerBudget(long millis) {
        return Duration.ofMillis(Math.clamp(millis, MIN_TIMEOUT.toMillis(), DEFAULTS.timeout().toMillis()));
    }

    public GroovyLimits withTimeout(Duration value) {
        return new GroovyLimits(maxScriptChars, maxNesting, maxJobs, maxTasksPerJob, maxStepChars, maxCollectedChars, value,
                compileTimeout, maxAllocatedBytes);
    }
}
