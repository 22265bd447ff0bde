package io.stoker.engine.tests;

import java.util.function.UnaryOperator;

/**
 * One test case that failed or erred, as its report said it, cut to {@link TestSummary#MESSAGE_CHARS} and
 * {@link TestSummary#DETAIL_CHARS}.
 *
 * @param suite     the name of the {@code <testsuite>} around it, empty when none
 * @param className its {@code classname}, empty when none
 * @param name      its {@code name}
 * @param message   its {@code message} attribute, else the first line of its text
 * @param detail    the element's text (a stack trace, an assertion's diff), empty when none
 * @param file      the report file that said it, relative to the workspace; empty when not known (a summary stored
 *                  before files were named)
 */
public record FailedTest(String suite, String className, String name, FailureKind kind, String message,
                         String detail, String file) {
    public FailedTest {
        file = file == null ? "" : file;
    }

    /** A case as one report file says it, before it is known which file that is. */
    public FailedTest(String suite, String className, String name, FailureKind kind, String message, String detail) {
        this(suite, className, name, kind, message, detail, "");
    }

    /** The same case, said by {@code reportFile}. */
    public FailedTest in(String reportFile) {
        return new FailedTest(suite, className, name, kind, message, detail, reportFile);
    }

    /** The same case with {@code mask} applied to its words (secret values a test printed). */
    public FailedTest masked(UnaryOperator<String> mask) {
        return new FailedTest(mask.apply(suite), mask.apply(className), mask.apply(name), kind, mask.apply(message),
                mask.apply(detail), file);
    }
}
