package io.stoker.dsl.groovy.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names the DSL block a delegate class stands for ({@code job}, {@code task}, …) in diagnostics. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DslNoun {
    String value();
}
