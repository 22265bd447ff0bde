package io.stoker.dsl.groovy.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the internal method that {@link PositionMarks} calls before every statement. It is allowed by the type
 * checker but never suggested, and a Jobfile cannot write its name ({@link PolicyCheck} rejects it).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PositionMark {
    /** The method name the compiler injects; {@code $} keeps it out of the way of real words. */
    String METHOD = "$pos";
}
