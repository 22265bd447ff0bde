package io.stoker.model;

/**
 * One problem found in a Jobfile. Diagnostics are data, never exceptions: a compile returns all of them at once.
 * {@link #toString()} gives the form users see: {@code file:line:col: message}.
 */
public record Diagnostic(String file, int line, int col, String message, Severity severity) {

    public enum Severity { ERROR, WARNING }

    public static Diagnostic error(String file, Pos pos, String message) {
        return new Diagnostic(file, pos.line(), pos.col(), message, Severity.ERROR);
    }

    public static Diagnostic warning(String file, Pos pos, String message) {
        return new Diagnostic(file, pos.line(), pos.col(), message, Severity.WARNING);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + col : file;
        return where + ": " + (severity == Severity.WARNING ? "warning: " : "") + message;
    }
}
