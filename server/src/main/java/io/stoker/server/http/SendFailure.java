package io.stoker.server.http;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why sending to a receiver failed, in words a person can act on, for a delivery's {@code lastError} and the log:
 * a failed connection as {@link ConnectFailure} says it ("connection refused by 127.0.0.1:9000"), which the senders
 * had shown as the bare word "Connect"; a TLS failure or any other with its own message. Never a JVM type name.
 */
public final class SendFailure {
    private SendFailure() {
    }

    /** The failure of a request to {@code target} (its host and port are named; null names "the receiver"). */
    public static String describe(Throwable failure, URI target) {
        Throwable e = unwrap(failure);
        String host = target == null ? null : target.getHost();
        String connection = host == null ? null : ConnectFailure.describe(e, host, port(target));
        if (connection != null) {
            return connection.startsWith("connection refused") ? connection + " (is the receiver running?)" : connection;
        }
        String where = host == null ? "the receiver" : host + ":" + port(target);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS with " + where + " failed" + (t.getMessage() == null ? "" : ": " + t.getMessage());
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        return e instanceof IOException ? "the connection to " + where + " failed" : "sending to " + where + " failed";
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static int port(URI target) {
        if (target.getPort() >= 0) return target.getPort();
        return "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
    }
}
