package io.stoker.engine.tests;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a task's test reports said, summed over its report files: counts for every case, details for the first
 * {@link #KEPT_FAILURES} that failed or erred.
 *
 * @param total      test cases seen
 * @param failed     of them, cases with a {@code <failure>}
 * @param errors     cases with an {@code <error>}
 * @param skipped    cases with {@code <skipped>}
 * @param durationMs the sum of the cases' {@code time}
 * @param files      report files read as JUnit XML
 * @param failures   the first failed and erred cases, in the order read
 */
public record TestSummary(int total, int failed, int errors, int skipped, long durationMs, int files,
                          List<FailedTest> failures) {
    /** How many failed cases keep their details: counts are kept for all. */
    public static final int KEPT_FAILURES = 100;
    /** The most of a failure's message kept. */
    public static final int MESSAGE_CHARS = 1_000;
    /** The most of a failure's text (its stack trace) kept. */
    public static final int DETAIL_CHARS = 4_000;

    public TestSummary {
        failures = failures == null ? List.of() : List.copyOf(failures);
    }

    /** The summary with {@code mask} applied to each kept failure. */
    public TestSummary masked(UnaryOperator<String> mask) {
        return new TestSummary(total, failed, errors, skipped, durationMs, files,
                failures.stream().map(f -> f.masked(mask)).toList());
    }

    /** {@code 312 run, 2 failed, 1 error, 5 skipped}: the counts in words, as logs and the CLI say them. */
    public String counts() {
        return counts(total, failed, errors, skipped);
    }

    /** {@link #counts()} of counts read elsewhere (a server's JSON). */
    public static String counts(int total, int failed, int errors, int skipped) {
        return total + " run, " + failed + " failed, " + errors + (errors == 1 ? " error, " : " errors, ") + skipped
                + " skipped";
    }
}
