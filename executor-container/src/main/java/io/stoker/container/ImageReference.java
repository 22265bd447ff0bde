package io.stoker.container;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An image reference split into its registry host and the rest ({@code 127.0.0.1:5000/org/app:7}). The grammar is
 * the distribution project's: {@code [host[:port]/]path[:tag][@digest]}, path components lower case.
 *
 * @param registry the registry host (with port), {@code docker.io} when the reference names none
 * @param path     repository path inside the registry
 * @param tag      the tag, null when absent
 * @param digest   {@code sha256:…}, null when absent
 */
public record ImageReference(String registry, String path, String tag, String digest) {

    private static final Pattern GRAMMAR = Pattern.compile(
            "^(?:(?<host>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?)/)?"
                    + "(?<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
                    + "(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$");

    /** Hosts where plain HTTP is used without being configured: this machine's own registries. */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    /** The reference {@code text} names, or null when it does not follow the grammar. */
    public static ImageReference parse(String text) {
        if (text == null) return null;
        var m = GRAMMAR.matcher(text);
        if (!m.matches()) return null;
        String host = m.group("host");
        String path = m.group("path");
        // "org/app" names Docker Hub; a first component with a dot, a port or "localhost" names a registry
        if (host != null && !host.contains(".") && !host.contains(":") && !host.equals("localhost")) {
            path = host.toLowerCase(Locale.ROOT).equals(host) ? host + "/" + path : null;
            host = null;
            if (path == null) return null;
        }
        return new ImageReference(host == null ? "docker.io" : host, path, m.group("tag"), m.group("digest"));
    }

    /** Whether the engine may talk plain HTTP / unverified TLS to this registry: loopback, or listed as insecure. */
    public boolean insecure(Set<String> insecureRegistries) {
        String host = registry.replaceFirst(":[0-9]+$", "");
        return LOOPBACK.contains(host) || insecureRegistries.contains(registry) || insecureRegistries.contains(host);
    }

    /** The image as its registry names it, for messages: {@code org/app:7}, {@code org/app@sha256:…}, {@code org/app:latest}. */
    public String inRegistry() {
        return path + (digest != null ? "@" + digest : ":" + (tag == null ? "latest" : tag));
    }

    /** The same image pinned by {@code digest}: {@code host/path@sha256:…}. */
    public String withDigest(String digest) {
        return registry + "/" + path + "@" + digest;
    }
}
