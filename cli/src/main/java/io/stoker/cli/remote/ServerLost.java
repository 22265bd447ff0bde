package io.stoker.cli.remote;

import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;

/**
 * The server could not be reached, or the connection to it broke (a restart, a proxy that cut an idle stream, a
 * gateway answering 502–504 while the server is down): a failure like any other for most commands, but one that a
 * command following a run waits out ({@link Reconnect}). {@code reason} says it in a few words for that wait's line.
 */
final class ServerLost extends CliException {
    private final String reason;

    ServerLost(String message, String reason) {
        super(ExitCode.UNAVAILABLE, message);
        this.reason = reason;
    }

    /** What was lost, in a few words: {@code connection refused}, {@code the connection broke}. */
    String reason() {
        return reason;
    }
}
