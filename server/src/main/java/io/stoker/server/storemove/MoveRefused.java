package io.stoker.server.storemove;

/** A store move that cannot begin or could not finish, in one sentence for the operator; nothing was committed. */
public final class MoveRefused extends RuntimeException {
    public MoveRefused(String message) {
        super(message);
    }

    public MoveRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
