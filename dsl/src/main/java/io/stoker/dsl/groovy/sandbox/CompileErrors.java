package io.stoker.dsl.groovy.sandbox;

import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;
import org.codehaus.groovy.control.ErrorCollector;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns the compiler's error messages into diagnostics in the author's terms, one per distinct problem. */
public final class CompileErrors {

    private CompileErrors() {
    }

    public static List<Diagnostic> toDiagnostics(String file, ErrorCollector errors) {
        Set<Diagnostic> out = new LinkedHashSet<>();
        if (errors.getErrors() != null) {
            for (Message message : errors.getErrors()) {
                out.add(toDiagnostic(file, message));
            }
        }
        return new ArrayList<>(out);
    }

    static Diagnostic toDiagnostic(String file, Message message) {
        if (message instanceof SyntaxErrorMessage syntax) {
            SyntaxException e = syntax.getCause();
            return Diagnostic.error(file, new Pos(Math.max(e.getLine(), 1), Math.max(e.getStartColumn(), 1)),
                    clean(e.getOriginalMessage()));
        }
        if (message instanceof ExceptionMessage exception) {
            Exception cause = exception.getCause();
            return Diagnostic.error(file, Pos.NONE, "the Jobfile could not be compiled: "
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                    + firstLine(cause.getMessage())));
        }
        if (message instanceof SimpleMessage simple) {
            return Diagnostic.error(file, Pos.NONE, clean(simple.getMessage()));
        }
        return Diagnostic.error(file, Pos.NONE, "the Jobfile could not be compiled");
    }

    static String clean(String message) {
        String m = firstLine(message);
        m = m.replace("[Static type checking] - ", "");
        return m.strip();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
