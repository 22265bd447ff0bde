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
 */
public record FailedTest(String suite, String className, String name, FailureKind kind, String message,
                         String detail) {

    /** The same case with {@code mask} applied to its words (secret values a test printed). */
    public FailedTest masked(UnaryOperator<String> mask) {
        return new FailedTest(mask.apply(suite), mask.apply(className), mask.apply(name), kind, mask.apply(message),
                mask.apply(detail));
    }
}
