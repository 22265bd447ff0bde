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

    public int exitCode() {
        return exitCode;
    }
}
