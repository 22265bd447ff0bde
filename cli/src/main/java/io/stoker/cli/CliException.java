package io.stoker.cli;

/** A failure the CLI reports as one line on stderr with the given exit code. */
public final class CliException extends RuntimeException {
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
