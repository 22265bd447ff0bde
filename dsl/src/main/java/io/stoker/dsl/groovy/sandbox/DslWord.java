package io.stoker.dsl.groovy.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method a Jobfile may call. The type checker allows a call into a DSL class only when its target carries
 * this mark, and lists the marked names of a noun when it suggests a word for a typo.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DslWord {
    /**
     * For a word that takes only named options, the option that text given alone most likely meant: with
     * {@code "from"}, {@code input 'a'} (a common slip) is told to write {@code input from: 'a'}, in the DSL's words,
     * rather than the Java form {@code input(name: value, …)}.
     */
    String textOption() default "";

    /**
     * The Java name of the {@code notify { … }} block: Groovy's type checker binds a call named {@code notify} inside
     * a closure to {@code Object.notify()} whatever its arguments, so {@link PolicyCheck} renames the block's call to
     * this before type checking; the author only ever sees {@code notify}.
     */
    String NOTIFY = "notify$";

    /** The Java name of a deploy target's {@code run 'command'}: {@code run} is denied as {@code Script.run()}. */
    String RUN = "run$";
}
