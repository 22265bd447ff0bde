package io.stoker.server.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why sending to a receiver failed, in words a person can act on ("connection refused by 127.0.0.1:9000"), for a
 * delivery's {@code lastError} and the log: the JDK's HTTP client throws a {@code ConnectException} without a message
 * for a refused connection, which the senders had shown as the bare word "Connect". Never a JVM type name.
 */
public final class SendFailure {
    private SendFailure() {
    }

    /** The failure of a request to {@code target} (its host and port are named; null names "the receiver"). */
    public static String describe(Throwable failure, URI target) {
        Throwable e = unwrap(failure);
        String where = where(target);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "unknown host '" + (target != null && target.getHost() != null ? target.getHost() : t.getMessage())
                        + "' (the name does not resolve)";
            }
            if (t instanceof HttpConnectTimeoutException) return "no connection to " + where + " within the timeout";
            if (t instanceof HttpTimeoutException) return "no answer from " + where + " within the timeout";
            if (t instanceof NoRouteToHostException) return "no route to " + where;
            if (t instanceof ConnectException) {
                String why = firstMessage(t);
                return why == null || why.toLowerCase(Locale.ROOT).contains("refused")
                        ? "connection refused by " + where + " (is the receiver running?)"
                        : "cannot connect to " + where + ": " + why;
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS with " + where + " failed" + (t.getMessage() == null ? "" : ": " + t.getMessage());
            }
        }
        String message = firstMessage(e);
        if (message != null) return message;
        return e instanceof IOException ? "the connection to " + where + " failed" : "sending to " + where + " failed";
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        return null;
    }

    private static String where(URI target) {
        if (target == null || target.getHost() == null) return "the receiver";
        int port = target.getPort() >= 0 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
        return target.getHost() + ":" + port;
    }
}
