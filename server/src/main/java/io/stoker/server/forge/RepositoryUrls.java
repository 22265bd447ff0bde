package io.stoker.server.forge;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether two git URLs name the same repository, whatever their form: {@code https://host/org/repo.git},
 * {@code ssh://git@host:2222/org/repo}, scp-like {@code git@host:org/repo.git}, {@code file:///srv/repo.git} or a
 * plain path. Scheme, user, port, a trailing {@code .git} and trailing slashes are ignored; host and path of
 * network URLs compare case-insensitively (GitHub, GitLab and Gitea treat owner and repository names so), local
 * paths exactly.
 */
public final class RepositoryUrls {
    private static final Pattern WITH_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*).*");
    // user@host:path, but not a Windows drive (C:\x) and not something with a scheme
    private static final Pattern SCP_LIKE = Pattern.compile("(?:[^@/:]+@)?([^@/:]{2,}):(.*)");

    private RepositoryUrls() {
    }

    /** True when both URLs parse and name the same repository. */
    public static boolean sameRepository(String a, String b) {
        Optional<String> x = normalise(a);
        return x.isPresent() && x.equals(normalise(b));
    }

    /** True when {@code url} names the same repository as any of {@code candidates}. */
    public static boolean matchesAny(String url, Collection<String> candidates) {
        return candidates.stream().anyMatch(candidate -> sameRepository(url, candidate));
    }

    /**
     * A comparison key: {@code host/path} for network URLs (lower case), {@code file:/path} for local ones;
     * empty for a blank or unparseable URL.
     */
    public static Optional<String> normalise(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        String u = url.trim();
        if (u.regionMatches(true, 0, "file:", 0, 5) && !u.regionMatches(5, "//", 0, 2)) {
            return local(u.substring(5)); // file:/srv/x, as java.io.File#toURI writes it
        }
        Matcher m = WITH_SCHEME.matcher(u);
        if (m.matches()) {
            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            if (scheme.equals("file")) {
                return local(m.group(2).isEmpty() || m.group(2).equals("localhost") ? m.group(3) : "//" + m.group(2) + m.group(3));
            }
            String authority = m.group(2);
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            String host = authority.startsWith("[")
                    ? authority.substring(0, authority.indexOf(']') + 1)   // IPv6 literal
                    : authority.replaceFirst(":.*$", "");
            return network(host, m.group(3));
        }
        m = SCP_LIKE.matcher(u);
        if (m.matches()) { // git's rule: a colon before any slash
            return network(m.group(1), m.group(2));
        }
        return local(u);
    }

    private static Optional<String> network(String host, String path) {
        String p = trimPath(path);
        if (host.isEmpty() || p.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((host + "/" + p).toLowerCase(Locale.ROOT));
    }

    private static Optional<String> local(String path) {
        String p = trimPath(path);
        return p.isEmpty() ? Optional.empty() : Optional.of("file:/" + p);
    }

    private static String trimPath(String path) {
        String p = path.replaceAll("/{2,}", "/");
        p = p.replaceAll("^/+", "").replaceAll("/+$", "");
        if (p.endsWith(".git")) {
            p = p.substring(0, p.length() - 4);
        }
        return p.replaceAll("/+$", "");
    }
}
