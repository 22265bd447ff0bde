package io.stoker.dsl;

/**
 * Compiles one Jobfile's text into a {@link CompileResult}. Implemented in process ({@link JobfileCompiler}), with a
 * cache ({@link CompileCache}) and in a separate JVM ({@code io.stoker.dsl.isolate.IsolatedJobfileCompiler}).
 * Never throws on bad input.
 */
@FunctionalInterface
public interface Compiler {

    /** @param file the Jobfile's name or path; it picks the syntax and is printed in diagnostics */
    CompileResult compile(String file, String text);
}
