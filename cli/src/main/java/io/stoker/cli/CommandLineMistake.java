package io.stoker.cli;

/**
 * A usage mistake a command finds in its own options or arguments after picocli parsed them (a {@code --page} out of
 * range, a status that is none, two options that exclude each other): {@link Main} says it through picocli's
 * parameter-exception handler, so it reads as picocli's own mistakes do, with the {@code --help} hint and exit 2.
 * Only for what the command line alone shows; a refusal that needed the server or a file stays a {@link CliException}.
 */
public final class CommandLineMistake extends CliException {
    public CommandLineMistake(String message) {
        super(ExitCode.INVALID, message);
    }
}
