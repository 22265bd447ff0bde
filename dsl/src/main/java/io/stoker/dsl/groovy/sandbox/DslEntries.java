package io.stoker.dsl.groovy.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a DSL block whose statements are named entries, {@code NAME option: value, …} (the {@code services} block:
 * {@code postgres image: 'postgres:16'}): a call of any name with only named options is let through to the block's
 * {@code entry(String, Map)} at run time instead of being reported as an unknown word.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DslEntries {
}
