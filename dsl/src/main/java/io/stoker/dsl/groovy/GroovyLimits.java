package io.stoker.dsl.groovy;

import java.time.Duration;

/**
 * Bounds on what one Groovy Jobfile may cost. Text sizes count characters. Every string the DSL collects counts its
 * length plus {@link #ENTRY_OVERHEAD} towards {@code maxCollectedChars}, so a flood of tiny entries is bounded too.
 *
 * @param maxScriptChars     the Jobfile text
 * @param maxNesting         brackets ((), [], {}) open at once; the compiler slows down steeply with nesting
 * @param maxJobs            jobs in one Jobfile
 * @param maxTasksPerJob     tasks in one job (before matrix expansion)
 * @param maxStepChars       one {@code sh} script
 * @param maxCollectedChars  everything the DSL collected, together
 * @param timeout            wall clock for evaluating (running the script)
 * @param compileTimeout     wall clock for compiling; separate because no Jobfile code runs then, and the first
 *                           compile in a cold JVM on a loaded machine was seen to take more than 5 s on its own
 * @param maxAllocatedBytes  memory the evaluation may allocate (checked at every statement)
 */
public record GroovyLimits(int maxScriptChars, int maxNesting, int maxJobs, int maxTasksPerJob, int maxStepChars,
                           long maxCollectedChars, Duration timeout, Duration compileTimeout,
                           long maxAllocatedBytes) {

    public static final int ENTRY_OVERHEAD = 16;

    public static final GroovyLimits DEFAULTS = new GroovyLimits(1 << 20, 32, 100, 1_000, 256 * 1024, 8L << 20,
            Duration.ofSeconds(5), Duration.ofSeconds(10), 256L << 20);

    public GroovyLimits withTimeout(Duration value) {
        return new GroovyLimits(maxScriptChars, maxNesting, maxJobs, maxTasksPerJob, maxStepChars, maxCollectedChars, value,
                compileTimeout, maxAllocatedBytes);
    }
}
