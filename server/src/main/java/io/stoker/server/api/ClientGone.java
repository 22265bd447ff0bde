package io.stoker.server.api;

import io.vertx.core.VertxException;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * A failure that only says the client went away while its answer was being written: a browser that left the page
 * while a script or a log was on its way, a {@code curl} stopped with Ctrl-C. Nothing failed on the server's side and
 * nothing can be answered; it is not an error to report with a stack trace.
 */
final class ClientGone {
    /** What Linux, the JDK and Vert.x say when the peer closed or reset the connection. */
    private static final Set<String> SAID = Set.of("Broken pipe", "Connection reset by peer", "Connection reset",
            "Connection was closed");

    private ClientGone() {
    }

    /** Whether {@code failure}, or what it wraps, is the peer's closed or reset connection. */
    static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) { // getCause() is null, never itself, at the end
            if (t instanceof ClosedChannelException) return true;
            if ((t instanceof IOException || t instanceof VertxException) && t.getMessage() != null
                    && SAID.contains(t.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
