package io.stoker.server.project;

import io.stoker.server.secret.SecretBox;
import io.stoker.server.secret.SecretUnreadableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project's git URL as it is stored: credentials written into it ({@code https://user:token@host/…}, an http(s)
 * URL's lone user name, often a token, or {@code ssh://git:password@host/…}) are sealed with the master key
 * ({@link SecretBox}), bound to the project's name, and kept in the URL's place
 * ({@code https://stoker-sealed-v1-BASE64@host/…}), so a copy of the database alone does not reveal them. A URL
 * without a secret ({@code ssh://git@host/…}, {@code git@host:path}, a path) is stored as given.
 */
final class GitUrlSeal {
    private static final Logger LOG = LoggerFactory.getLogger(GitUrlSeal.class);
    /** Marks the user information a seal made; Base64url's alphabet is allowed in a URL's user information. */
    static final String MARK = "stoker-sealed-v1-";
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/@\\s]+)@(.*)$",
            Pattern.DOTALL);

    private final SecretBox box;

    GitUrlSeal(SecretBox box) {
        this.box = box;
    }

    /** The stored form of {@code url}; null for none, the URL itself when it holds no secret or is sealed already. */
    String seal(String project, String url) {
        if (!holdsClearSecret(url)) return url;
        Matcher m = USER_INFO.matcher(url);
        if (!m.matches()) return url;
        byte[] sealed = box.sealText(m.group(2), context(project));
        return m.group(1) + "://" + MARK + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed) + "@" + m.group(3);
    }

    /**
     * The URL {@link #seal} stored, credentials back in place; a URL stored in clear (by a version before sealing,
     * until the start seals it) as it is. Sealed credentials that do not open (the master key changed) are left out,
     * logged: the fetch then fails for want of them, saying so, rather than with a wrong password.
     */
    String open(String project, String stored) {
        if (stored == null) return null;
        Matcher m = USER_INFO.matcher(stored);
        if (!m.matches() || !m.group(2).startsWith(MARK)) return stored;
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(m.group(2).substring(MARK.length()));
            return m.group(1) + "://" + box.openText(sealed, context(project)) + "@" + m.group(3);
        } catch (IllegalArgumentException | SecretUnreadableException e) {
            String bare = m.group(1) + "://" + m.group(3);
            LOG.warn("project {}: the credentials in its git URL cannot be read ({}); fetches go without them until "
                    + "the URL is set again (PUT /api/v1/projects/{} with a gitUrl)", project, e.getMessage(), project);
            return bare;
        }
    }

    /** Whether {@code url} has credentials written into it that are not sealed. */
    static boolean holdsClearSecret(String url) {
        if (url == null) return false;
        Matcher m = USER_INFO.matcher(url);
        if (!m.matches() || m.group(2).startsWith(MARK)) return false;
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        return m.group(2).contains(":") || scheme.equals("http") || scheme.equals("https");
    }

    private static String context(String project) {
        return "git-url:project:" + project;
    }
}
