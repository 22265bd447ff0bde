package io.stoker.expr;

/**
 * A name an expression reads: {@code root.name} or, for outputs, {@code outputs.name.key}
 * ({@code outputs['test[jdk=17]'].key} too). {@code offset} is the 0-based character offset in the source.
 *
 * @param root one of params, env, outputs, run, matrix, secrets
 */
public record Reference(String root, String name, String key, int offset) {
}
