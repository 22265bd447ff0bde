package io.stoker.agent.ssh;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.regex.Pattern;
import org.apache.sshd.common.session.helpers.MissingAttachedSessionException;

/**
 * Why an agent could not be reached, in the words people read in Build Executor Status and Manage Stoker: the
 * SSH library's messages name its future classes and wrapped exception types
 * ({@code DefaultConnectFuture[ci@/127.0.0.1:1]: Failed (ConnectException) to execute: …}).
 */
final class ConnectFailure {
    private static final Pattern LIBRARY_NOISE = Pattern.compile("\\w+Future\\[[^\\]]*\\]:\\s*|\\s*\\(\\w+(Exception|Error)\\)");

    private ConnectFailure() {
    }

    static String describe(Throwable e, String host, int port) {
        String at = host + ":" + port;
        Throwable root = e;
        for (int depth = 0; root != null && depth < 20; depth++) {
            if (root instanceof NoRouteToHostException) return "no route to host " + host;
            if (root instanceof ConnectException) return "connection refused by " + at + " (is sshd running there?)";
            if (root instanceof UnknownHostException || root instanceof UnresolvedAddressException) {
                return "unknown host '" + host + "' (the name does not resolve)";
            }
            if (root instanceof SocketTimeoutException) return "no answer from " + at + " in time";
            // the other end hung up so early that the library had not yet attached its session to the socket
            if (root instanceof MissingAttachedSessionException) return closedBeforeSsh(at);
            if (root.getCause() == null || root.getCause() == root) break;
            root = root.getCause();
        }
        // the outermost message: where Stoker explains a failure (no SFTP subsystem, a refused key) it wraps the
        // library's exception, whose own message ("Channel closing") says less
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("within specified timeout")) return "no answer from " + at + " in time";
        // which of these a client sees depends on who was faster: its own identification line written into a
        // socket the other end closed (Broken pipe, reset), the close read first (Session is being closed), or the
        // close seen before the library attached its session to the socket (No session attached)
        if (message.contains("Session is being closed") || message.contains("Broken pipe")
                || message.contains("Connection reset") || message.contains("No session attached")) {
            return closedBeforeSsh(at);
        }
        String plain = LIBRARY_NOISE.matcher(message).replaceAll(" ").replaceAll("\\s+", " ").trim();
        return plain.isEmpty() ? "the connection to " + at + " failed" : plain;
    }

    /** Closed before the SSH handshake: what listens there is not an SSH server (or refused us at once). */
    private static String closedBeforeSsh(String at) {
        return "the connection to " + at + " closed before SSH began (is that port an SSH server's?)";
    }
}
