package io.stoker.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the server's PostgreSQL database is, as given to {@code --db}: {@code postgresql://user[:password]@host[:port]/database[?param=value&…]}
 * (libpq's URL form; {@code postgres://} too). Query parameters ({@code sslmode}, {@code sslrootcert}, …) go to the
 * JDBC driver unchanged. {@link #toString()} never shows the password.
 *
 * @param params driver parameters in the order given
 */
public record PostgresUrl(String host, int port, String database, String user, String password,
                          Map<String, String> params) {
    public static final int DEFAULT_PORT = 5432;
    private static final String FORM = "postgresql://user@host:5432/database";

    public PostgresUrl {
        params = Map.copyOf(params);
    }

    /** True when {@code text} names a PostgreSQL database (rather than, say, a path), so it must parse. */
    public static boolean looksLike(String text) {
        return text != null && (text.startsWith("postgresql://") || text.startsWith("postgres://"));
    }

    /** Parses the URL form; the message of the exception is one sentence naming the part that is wrong. */
    public static PostgresUrl parse(String text) {
        if (!looksLike(text)) throw invalid(text, "it must start with postgresql://");
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(text, e.getReason());
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw invalid(text, "it names no host");
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw invalid(text, "its port " + uri.getPort() + " is not between 1 and 65535");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (database.isEmpty() || database.contains("/")) throw invalid(text, "it names no database after the host");
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (user == null || user.isEmpty()) throw invalid(text, "it names no user (postgresql://USER@host/database)");
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                if (eq <= 0) throw invalid(text, "its parameter '" + decode(pair) + "' has no value");
                params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return new PostgresUrl(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database, user,
                password, params);
    }

    /** The JDBC driver's URL, without user and password (they are passed apart). */
    public String jdbcUrl() {
        StringBuilder b = new StringBuilder("jdbc:postgresql://").append(host.contains(":") ? "[" + host + "]" : host)
                .append(':').append(port).append('/').append(encode(database));
        String sep = "?";
        for (var e : params.entrySet()) {
            b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = "&";
        }
        return b.toString();
    }

    /** The same server with another database (specs create and drop their own). */
    public PostgresUrl withDatabase(String other) {
        return new PostgresUrl(host, port, other, user, password, params);
    }

    @Override
    public String toString() {
        return "postgresql://" + user + (password == null ? "" : ":***") + "@" + host + ":" + port + "/" + database;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        String shown = text == null ? "" : text.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
        return new IllegalArgumentException("'" + shown + "' is not a PostgreSQL URL (" + why + "); expected " + FORM);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
