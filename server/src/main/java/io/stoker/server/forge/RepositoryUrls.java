package io.stoker.server.forge;

import org.eclipse.jgit.transport.URIish;

import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether two git URLs name the same repository, whatever their form: {@code https://host/org/repo.git},
 * {@code ssh://git@host:2222/org/repo}, scp-like {@code git@host:org/repo.git}, {@code file:///srv/repo.git} or a
 * plain path, parsed by JGit's {@link URIish} (git's own rules). Scheme, user, port, a leading {@code www.}, a
 * trailing {@code .git} and trailing slashes are ignored; host and path of network URLs compare
 * case-insensitively (GitHub, GitLab, Gitea and Bitbucket treat owner and repository names so), local paths exactly.
 */
public final class RepositoryUrls {
    /** The prefix of a key that matches a repository path on any host ({@link #anyHost}). */
    private static final String ANY_HOST = "*/";
    /** A URL's scheme, as far as the {@code ://} that makes it one (not scp-like {@code host:path}). */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*(?=://)");

    private RepositoryUrls() {
    }

    /** True when both URLs parse and name the same repository. */
    public static boolean sameRepository(String a, String b) {
        Optional<String> x = normalise(a);
        Optional<String> y = normalise(b);
        if (x.isEmpty() || y.isEmpty()) return false;
        boolean xAny = x.get().startsWith(ANY_HOST);
        if (xAny != y.get().startsWith(ANY_HOST)) {
            String any = xAny ? x.get() : y.get();
            String full = xAny ? y.get() : x.get();
            // Bitbucket Data Center serves https clones under /scm/
            String path = any.substring(ANY_HOST.length());
            return full.endsWith("/" + path) && (full.indexOf('/') == full.length() - path.length() - 1
                    || full.endsWith("/scm/" + path));
        }
        return x.equals(y);
    }

    /** True when {@code url} names the same repository as any of {@code candidates}. */
    public static boolean matchesAny(String url, Collection<String> candidates) {
        return candidates.stream().anyMatch(candidate -> sameRepository(url, candidate));
    }

    /**
     * A "URL" that matches {@code path} ({@code project/repo}) on any host: Bitbucket Data Center's payloads name
     * a repository by project key and slug only.
     */
    public static String anyHost(String path) {
        return ANY_HOST + path;
    }

    /**
     * A comparison key: {@code host/path} for network URLs (lower case), {@code file:/path} for local ones;
     * empty for a blank or unparseable URL.
     */
    public static Optional<String> normalise(String url) {
        if (url == null || url.isBlank()) return Optional.empty();
        // schemes are case-insensitive (RFC 3986), and JGit reads FILE:///x as a relative path
        String u = lowerCaseScheme(url.trim());
        if (u.startsWith(ANY_HOST)) return network("*", u.substring(ANY_HOST.length()));
        if (u.regionMatches(true, 0, "file:", 0, 5) && !u.regionMatches(5, "//", 0, 2)) {
            return local(u.substring(5)); // file:/srv/x, as java.io.File#toURI writes it
        }
        URIish parsed;
        try {
            parsed = new URIish(u);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String host = parsed.getHost();
        if (host == null || host.isEmpty() || "file".equalsIgnoreCase(parsed.getScheme())) {
            boolean remoteFile = host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost");
            return local(remoteFile ? "//" + host + "/" + parsed.getPath() : parsed.getPath());
        }
        return network(host, parsed.getPath());
    }

    private static String lowerCaseScheme(String url) {
        Matcher scheme = SCHEME.matcher(url);
        return scheme.find() ? scheme.group().toLowerCase(Locale.ROOT) + url.substring(scheme.end()) : url;
    }

    private static Optional<String> network(String host, String path) {
        String p = trimPath(path);
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("www.")) h = h.substring(4);
        if (h.isEmpty() || p.isEmpty()) return Optional.empty();
        return Optional.of(h + "/" + p.toLowerCase(Locale.ROOT));
    }

    private static Optional<String> local(String path) {
        String p = trimPath(path);
        return p.isEmpty() ? Optional.empty() : Optional.of("file:/" + p);
    }

    private static String trimPath(String path) {
        String p = path == null ? "" : path.replaceAll("/{2,}", "/");
        p = p.replaceAll("^/+", "").replaceAll("/+$", "");
        if (p.endsWith(".git")) p = p.substring(0, p.length() - 4);
        return p.replaceAll("/+$", "");
    }
}
