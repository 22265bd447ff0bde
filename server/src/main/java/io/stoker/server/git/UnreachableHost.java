package io.stoker.server.git;

import io.stoker.server.http.ConnectFailure;
import org.eclipse.jgit.transport.URIish;

import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Why a fetch could not reach its git host, in the words the outbox uses for its receivers ("unknown host
 * gitlab.exmaple.com (the name does not resolve)", "connection refused by 127.0.0.1:22"). JGit's ssh transport
 * says it as Apache MINA does ({@code DefaultConnectFuture[git@host/<unresolved>:22]: Failed
 * (UnresolvedAddressException) to execute: null}), and its https transport drops the host's name from the cause it
 * wraps ("cannot open git-upload-pack"): neither tells a user that the URL's host is misspelt or down.
 */
final class UnreachableHost {
    private UnreachableHost() {
    }

    /** The reason, or null when {@code e} is no failure to connect to {@code url}'s host (or it names none). */
    static String describe(Throwable e, String url) {
        URIish uri;
        try {
            uri = new URIish(url);
        } catch (URISyntaxException notAUrl) {
            return null;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) return null;
        return ConnectFailure.describe(e, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : defaultPort(uri.getScheme()));
    }

    /** scp-like {@code git@host:path} has no scheme and is ssh. */
    private static int defaultPort(String scheme) {
        return switch (scheme == null ? "ssh" : scheme.toLowerCase(Locale.ROOT)) {
            case "http" -> 80;
            case "https" -> 443;
            case "git" -> 9418;
            default -> 22;
        };
    }
}
