package io.stoker.dsl;

import io.stoker.model.Diagnostic;
import io.stoker.model.Jobfile;

import java.util.List;

/** The outcome of compiling a Jobfile: a valid model (maybe with warnings), or every problem found. */
public sealed interface CompileResult {

    List<Diagnostic> diagnostics();

    record Compiled(Jobfile jobfile, List<Diagnostic> diagnostics) implements CompileResult {
        public Compiled {
            diagnostics = List.copyOf(diagnostics);
        }
    }

    record Rejected(List<Diagnostic> diagnostics) implements CompileResult {
        public Rejected {
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
