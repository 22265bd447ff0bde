package io.stoker.cli;

/** The CLI's exit codes, the same for every command. */
public final class ExitCode {
    public static final int OK = 0;
    /** A run ran and did not succeed. */
    public static final int RUN_FAILED = 1;
    /** The Jobfile, a parameter or an option was invalid; nothing ran. */
    public static final int INVALID = 2;
    /** The Stoker server could not be reached, or failed to answer (5xx). */
    public static final int UNAVAILABLE = 3;

    private ExitCode() {
    }
}
