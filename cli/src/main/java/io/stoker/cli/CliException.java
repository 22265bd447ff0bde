package io.stoker.cli;

/**
 * A failure the CLI reports as one line on stderr with the given exit code. Not final: a lost server is one kind of
 * it that a command following a run retries ({@code remote.ServerLost}).
 */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public static CliException invalid(String message) {
        return new CliException(ExitCode.INVALID, message);
    }

    /** A mistake in the command line itself, said with the {@code --help} hint: see {@link CommandLineMistake}. */
    public static CliException usage(String message) {
        return new CommandLineMistake(message);
    }

    public int exitCode() {
        return exitCode;
    }
}
