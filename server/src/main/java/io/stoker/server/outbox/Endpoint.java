package io.stoker.server.outbox;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A target URL split into what may be shown ({@code url}, without credentials) and what must not
 * ({@code authorization}: {@code https://user:pass@host} becomes Basic auth, {@code https://token@host} Bearer).
 *
 * A git host's API may want more: plain {@code headers} (no credentials; e.g. GitHub's {@code Accept}) and the
 * credential in another header than {@code Authorization} ({@code authHeader}, e.g. GitLab's {@code PRIVATE-TOKEN}).
 *
 * @param authorization the credential header's value, or null; sealed at rest, never shown
 * @param authHeader    the header the credential goes in; null for {@code Authorization}
 * @param headers       further request headers, shown nowhere but sent as given
 * @param signingSecret the key each body sent to it is signed with ({@link Signature}), or null; sealed at rest,
 *                      never shown
 */
public record Endpoint(String url, String authorization, String authHeader, Map<String, String> headers,
                       String signingSecret) {
    public Endpoint {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        // a token read from a file or a secret often ends in a line break, which no header may hold
        if (authorization != null) authorization = authorization.strip();
    }

    /**
     * {@code text} (an error message) with the credential, whole or after its scheme word, as {@code ***}: the JDK's
     * "invalid header value" repeats the value, and an error is stored and logged.
     */
    public String redact(String text) {
        return redact(text, authorization);
    }

    /** {@link #redact(String)} for a credential header's value given alone. */
    public static String redact(String text, String authorization) {
        if (text == null || authorization == null || authorization.isBlank()) return text;
        String out = text.replace(authorization, "***");
        int space = authorization.indexOf(' ');
        String credential = space < 0 ? authorization : authorization.substring(space + 1).strip();
        if (credential.length() >= 4) out = out.replace(credential, "***");
        return out;
    }

    /** A receiver whose messages are not signed. */
    public Endpoint(String url, String authorization, String authHeader, Map<String, String> headers) {
        this(url, authorization, authHeader, headers, null);
    }

    /** A webhook receiver: the credential, if any, in the Authorization header. */
    public Endpoint(String url, String authorization) {
        this(url, authorization, null, Map.of());
    }

    /** This receiver, each message to it signed with {@code secret}. */
    public Endpoint signedWith(String secret) {
        return new Endpoint(url, authorization, authHeader, headers, secret);
    }

    /** The header the credential goes in. */
    public String credentialHeader() {
        return authHeader == null ? "authorization" : authHeader;
    }

    @Override
    public String toString() {
        return url; // never the credentials
    }

    /** Splits a webhook URL; refuses anything but an absolute http(s) URL with a host. */
    public static Endpoint parse(String raw) {
        if (raw == null || raw.isBlank()) throw new IllegalArgumentException("is empty");
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) throw new IllegalArgumentException("must be an http or https URL");
        if (uri.getHost() == null) throw new IllegalArgumentException("must name a host");
        String auth = null;
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                auth = "Bearer " + decode(info);
            } else {
                String pair = decode(info.substring(0, colon)) + ":" + decode(info.substring(colon + 1));
                auth = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            URI clean = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath() == null ? null : uri.getPath(),
                    null, null);
            String url = clean.toASCIIString() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return new Endpoint(url, auth);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
