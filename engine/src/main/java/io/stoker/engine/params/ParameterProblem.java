package io.stoker.engine.params;

/**
 * What is wrong with one given parameter: {@code name} is the parameter's as given (one the job may not declare),
 * {@code message} says what is wrong in words, e.g. {@code unknown parameter 'X' (job 'web' has NAME)}.
 */
public record ParameterProblem(String name, String message) {
}
