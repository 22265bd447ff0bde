package io.stoker.engine.tests;

import java.util.List;

/** What one report file turned out to be. */
public sealed interface ReportFile {

    /**
     * A JUnit XML report: its counts, and its failed and erred cases up to the number asked for.
     *
     * @param failures the first failed and erred cases (all of them counted in {@code failed} and {@code errors})
     */
    record JUnit(int total, int failed, int errors, int skipped, long durationMs, List<FailedTest> failures)
            implements ReportFile {
        public JUnit {
            failures = List.copyOf(failures);
        }
    }

    /** Not a JUnit XML report; {@code why} in a few words for the task's log. */
    record NotJUnit(String why) implements ReportFile {
    }
}
