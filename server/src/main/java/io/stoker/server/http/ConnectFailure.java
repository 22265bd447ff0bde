package io.stoker.server.http;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Why a connection to another server failed, in words a user can act on: the JDK's HTTP client throws a
 * {@link ConnectException} without a message, wrapping an {@link UnresolvedAddressException} for a name that does
 * not resolve, so its own message is "null" and its type names say nothing to a user.
 */
public final class ConnectFailure {
    private ConnectFailure() {
    }

    /**
     * The reason {@code e} (or one of its causes) says {@code host:port} could not be reached, or null when it is no
     * connection failure.
     */
    public static String describe(Throwable e, String host, int port) {
        String at = host + ":" + port;
        // a name that does not resolve comes wrapped in a ConnectException, so it is looked for first
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host " + host + " (the name does not resolve)";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoRouteToHostException) return "no route to host " + host;
            if (t instanceof HttpConnectTimeoutException) return "timed out connecting to " + at;
            if (t instanceof ConnectException) return "connection refused by " + at;
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) return "timed out waiting for " + at;
        }
        return null;
    }
}
