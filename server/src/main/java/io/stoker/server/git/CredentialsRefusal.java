package io.stoker.server.git;

import org.eclipse.jgit.transport.URIish;

import java.net.URISyntaxException;

/**
 * What an http(s) git host that turns a fetch away for its credentials means, in place of JGit's words for it
 * ("not authorized", "no CredentialsProvider has been registered"): which credentials it refused (the secret the
 * project's {@code credentials} names, or those written into its git URL, which JGit sends unasked and then reports
 * as if none were given), or that it asks for some.
 */
final class CredentialsRefusal {
    private CredentialsRefusal() {
    }

    /** The reason, or null when {@code e} is no refusal for credentials; {@code url} may be null (not known). */
    static String describe(Throwable e, String url) {
        String said = String.valueOf(e.getMessage());
        if (said.contains("not authorized")) {
            return "the host refused the credentials (not authorized): check the secret's username:token and that the"
                    + " token may read this repository";
        }
        if (!said.contains("no CredentialsProvider has been registered")) return null;
        if (passwordIn(url)) {
            return "the host refused the credentials written into the git URL (not authorized): check its user and"
                    + " password or token, and that they may read this repository";
        }
        return "the host asks for credentials: name a secret NAME=username:token as the project's \"credentials\"";
    }

    /** True when the host refused the secret the project's {@code credentials} names (given, so JGit offered it). */
    static boolean refusedNamed(Throwable e) {
        return String.valueOf(e.getMessage()).contains("not authorized");
    }

    private static boolean passwordIn(String url) {
        if (url == null) return false;
        try {
            URIish uri = new URIish(url);
            return uri.getPass() != null && !uri.getPass().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
