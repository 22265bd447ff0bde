package io.stoker.server.storemove;

/**
 * A store move that cannot begin or could not finish, in one sentence for the operator; nothing was committed.
 * {@link #unavailable()} tells a database that could not be reached, or a move that broke off, from a refusal of
 * what was asked (a running server, no H2 store, a database in use).
 */
public final class MoveRefused extends RuntimeException {
    private final boolean unavailable;

    public MoveRefused(String message) {
        this(message, null, false);
    }

    public MoveRefused(String message, Throwable cause) {
        this(message, cause, false);
    }

    private MoveRefused(String message, Throwable cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /** The database could not be reached, or the move broke off (a retry may succeed). */
    static MoveRefused unavailable(String message, Throwable cause) {
        return new MoveRefused(message, cause, true);
    }

    public boolean unavailable() {
        return unavailable;
    }
}
