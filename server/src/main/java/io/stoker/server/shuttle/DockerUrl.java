package io.stoker.server.shuttle;

import io.stoker.container.ImageReference;
import io.stoker.engine.image.RegistryCredentials;
import io.stoker.server.Problem;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A {@code docker://[user:password@]host/org/repo:tag} URL of the Build-Shuttle API: an image reference and the
 * registry login written in it (percent-encoded where it holds {@code @ / :}). Its {@link #toString} and every
 * refusal show the user, never the password.
 *
 * @param reference the image reference, without the login
 * @param login     the login, or null when the URL has none
 */
record DockerUrl(String reference, RegistryCredentials login) {
    static final String SCHEME = "docker://";

    static boolean is(String url) {
        return url != null && url.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** The URL given as {@code field}; a 400 naming the field (and not the password) when it is malformed. */
    static DockerUrl parse(String field, String url) {
        String rest = url.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
        RegistryCredentials login = null;
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            if (colon <= 0 || colon == userInfo.length() - 1) {
                throw Problem.badRequest("'" + field + "' must be docker://user:password@host/org/repo:tag"
                        + " (the login needs both a user and a password)");
            }
            login = new RegistryCredentials(decode(field, userInfo.substring(0, colon)), decode(field, userInfo.substring(colon + 1)));
            rest = rest.substring(at + 1);
        }
        ImageReference ref = ImageReference.parse(rest);
        if (ref == null || slash < 0) {
            throw Problem.badRequest("'" + field + "' does not name an image: '" + SCHEME + rest
                    + "' is not docker://[user:password@]host/org/repo:tag");
        }
        return new DockerUrl(rest, login);
    }

    /** Percent-decoding of a URL's user-info part ({@code +} stays a plus). */
    private static String decode(String field, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) throw Problem.badRequest("'" + field + "' has a malformed %-escape in its login");
                out.write(high * 16 + low);
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return SCHEME + (login == null ? "" : login.user() + ":***@") + reference;
    }
}
