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

    /**
     * As {@link #compile}, but waits its turn however many compiles wait, where a compiler that bounds them would
     * refuse one beyond its queue: for the server's own compiles (a push, a poll, a trigger at a commit), which no
     * one would ask again, unlike a request answered "busy, try again".
     */
    default CompileResult compileInTurn(String file, String text) {
        return compile(file, text);
    }
}
