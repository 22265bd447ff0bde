package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small client of the REST API v1 on {@link HttpClient}: JSON in and out, streamed text and file downloads.
 * Every failure becomes a {@link CliException} with the CLI's exit code, so commands only handle success.
 */
public final class StokerClient implements AutoCloseable {
    private static final ObjectMapper JSON = io.stoker.server.db.Json.mapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** What a proxy answers for a server it cannot reach: Bad Gateway, Service Unavailable, Gateway Timeout. */
    private static final java.util.Set<Integer> GATEWAY_DOWN = java.util.Set.of(502, 503, 504);
    /** How the server's comment says it cut a stream short, before the reason. */
    private static final String STREAM_CUT = "the stream ended:";

    private final URI server;
    private final String token;
    private final HttpClient http;

    public StokerClient(URI server) {
        this(server, null, null);
    }

    /** A client that sends {@code token} (null: none) as {@code Authorization: Bearer} on every request. */
    public StokerClient(URI server, String token) {
        this(server, token, null);
    }

    /**
     * A client that sends {@code token} (null: none) and also trusts the PEM certificates in {@code caCert} for
     * https URLs (a private CA or a self-signed server); null: the JDK's trust store only.
     */
    public StokerClient(URI server, String token, Path caCert) {
        this.server = server;
        this.token = token;
        // HTTP/1.1: chunked log follows stream line by line; no h2c upgrade round trip
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(ServerTrust.context(caCert))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Stops the HTTP client's threads; specs run many commands in one JVM. */
    @Override
    public void close() {
        http.close();
    }

    public URI server() {
        return server;
    }

    public JsonNode get(String path) {
        return json(send(request(path).GET().timeout(REQUEST_TIMEOUT), HttpResponse.BodyHandlers.ofString()));
    }

    public JsonNode post(String path, Object body) {
        return post(path, body, this::refused);
    }

    /** A POST whose answer may take longer than the usual {@link #REQUEST_TIMEOUT} (an agent's install). */
    public JsonNode post(String path, Object body, Duration answerWithin) {
        return json(send(request(path).timeout(answerWithin).header("content-type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(write(body))),
                HttpResponse.BodyHandlers.ofString()));
    }

    public JsonNode put(String path, Object body) {
        return json(send(request(path).timeout(REQUEST_TIMEOUT).header("content-type", "application/json")
                .PUT(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(write(body))),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** A PUT whose refusals the caller words itself (but for a 401, which always says how to log in). */
    JsonNode put(String path, Object body, Function<ApiError, CliException> refused) {
        return json(send(request(path).timeout(REQUEST_TIMEOUT).header("content-type", "application/json")
                .PUT(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(write(body))),
                HttpResponse.BodyHandlers.ofString(), orLogin(refused)));
    }

    /** A POST with a bearer token of its own (login creates its API token with the fresh access token). */
    JsonNode post(String path, Object body, String bearer, Function<ApiError, CliException> refused) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .header("content-type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(write(body)));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return json(send(b, HttpResponse.BodyHandlers.ofString(), refused));
    }

    /** A DELETE with a bearer token of its own. */
    JsonNode delete(String path, String bearer, Function<ApiError, CliException> refused) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).DELETE();
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return json(send(b, HttpResponse.BodyHandlers.ofString(), refused));
    }

    /**
     * The default wording of a refusal: a 401 is one line telling how to log in; anything else is the server's
     * message with its details.
     */
    CliException refused(ApiError e) {
        if (e.status() == 401) {
            return new CliException(ExitCode.INVALID, "not logged in to " + server + ": run `stoker login`"
                    + (token == null ? "" : " (the token given was refused: " + e.message() + ")"));
        }
        return e.toCli();
    }

    /**
     * A POST whose refusals the caller words itself, e.g. to name the CLI option that avoids them (but for a 401,
     * which always says how to log in).
     */
    JsonNode post(String path, Object body, Function<ApiError, CliException> refused) {
        return json(send(request(path).timeout(REQUEST_TIMEOUT).header("content-type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(write(body))), HttpResponse.BodyHandlers.ofString(), orLogin(refused)));
    }

    /** A caller's wording of refusals, with this client's for a 401: the CLI's token is missing or was refused. */
    private Function<ApiError, CliException> orLogin(Function<ApiError, CliException> refused) {
        return e -> e.status() == 401 ? refused(e) : refused.apply(e);
    }

    public JsonNode delete(String path) {
        return json(send(request(path).DELETE().timeout(REQUEST_TIMEOUT), HttpResponse.BodyHandlers.ofString()));
    }

    /** A whole text resource, such as a finished log. */
    public String text(String path) {
        return send(request(path).GET().timeout(REQUEST_TIMEOUT), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * Follows an event stream ({@code Accept: text/event-stream}) from after {@code lastEventId} (null: from its start),
     * handing each event to {@code event} and calling {@code opened} once the server answered. Returns when the server
     * sends its {@code end} event. A stream that breaks or stops without it is a {@link ServerLost}; one the server cut
     * short with a reason (its token was refused meanwhile) is refused with that reason.
     */
    public void events(String path, String lastEventId, Runnable opened, Consumer<ServerEvent> event) {
        InputStream body = stream(path, lastEventId);
        opened.run();
        boolean[] ended = {false};
        String[] cut = {null};
        try (InputStream in = body) {
            ServerEvent.read(new java.io.InputStreamReader(in, StandardCharsets.UTF_8), e -> {
                if ("end".equals(e.type())) ended[0] = true;
                else if (!ended[0]) event.accept(e);
            }, comment -> {
                if (comment.startsWith(STREAM_CUT)) cut[0] = comment.substring(STREAM_CUT.length()).strip();
            });
        } catch (IOException e) {
            if (ended[0]) return;
            throw new ServerLost("the connection to " + server + " broke while streaming " + path + ": " + message(e),
                    "the connection broke");
        }
        if (ended[0]) return;
        if (cut[0] != null) throw CliException.invalid("the server ended the follow: " + cut[0]);
        throw new ServerLost("the server at " + server + " ended the stream " + path + " before its end",
                "the connection closed");
    }

    /**
     * The body of an event stream ({@code Accept: text/event-stream}) from after {@code lastEventId} (null: from its
     * start), once the server answered: for a stream with no end of its own ({@code /events}), which the caller
     * reads with {@link ServerEvent#read} and closes once it has seen enough.
     */
    InputStream stream(String path, String lastEventId) {
        // no request timeout: a follow lasts as long as what it follows
        HttpRequest.Builder request = request(path).header("accept", "text/event-stream").GET();
        if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
        return send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
    }

    /** Downloads a binary resource into {@code target} (through a temp file, so a broken download leaves nothing). */
    public long download(String path, Path target) {
        HttpResponse<InputStream> res = send(request(path).GET(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = res.body()) {
            Path part = target.resolveSibling(target.getFileName() + ".part");
            long n = Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            return n;
        } catch (java.nio.file.FileSystemException e) {
            // the local file, not the server: exit 2, in words (Java's message is only the path)
            throw CliException.invalid("cannot write " + target + ": " + io.stoker.cli.FileProblem.reason(e));
        } catch (IOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "cannot download " + path + " to " + target + ": " + message(e));
        }
    }

    /** A path with query parameters, leaving out those without a value. */
    public static String query(String path, Map<String, ?> params) {
        StringBuilder b = new StringBuilder(path);
        char sep = path.contains("?") ? '&' : '?';
        for (var e : params.entrySet()) {
            if (e.getValue() == null) continue;
            b.append(sep).append(e.getKey()).append('=')
                    .append(URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
            sep = '&';
        }
        return b.toString();
    }

    /** One path segment, escaped. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private URI uri(String path) {
        // appended, not resolved, so a server behind a proxy path (http://host/stoker) keeps its prefix
        String base = server.toString().replaceAll("/+$", "");
        return URI.create(base + "/api/v1" + path);
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        return send(request, body, this::refused);
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body,
                                     Function<ApiError, CliException> refused) {
        HttpResponse<T> res;
        try {
            res = http.send(request.build(), info -> info.statusCode() >= 400
                    ? mapped(HttpResponse.BodyHandlers.ofString().apply(info))
                    : body.apply(info));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable(e);
        } catch (SSLHandshakeException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "the TLS handshake with " + server + " failed: "
                    + tlsReason(e) + " — if the server's certificate is self-signed or from a private CA, pass it with "
                    + "--ca-cert FILE or STOKER_CA_CERT");
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException c) throw unreachable(c);
            if ("http".equals(server.getScheme()) && String.valueOf(e.getMessage()).contains("received no bytes")) {
                // an HTTPS server closes a plain HTTP request without an answer; so does a server that is stopping
                throw new ServerLost("the server at " + server + " closed the connection"
                        + " without an answer; if it serves HTTPS, use https://" + server.getRawAuthority(),
                        "the connection closed");
            }
            throw new ServerLost("the Stoker server at " + server + " did not answer: " + message(e), "no answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNAVAILABLE, "interrupted");
        }
        if (res.statusCode() >= 400) {
            CliException e = refused.apply(ApiError.parse(res.statusCode(), (String) res.body()));
            // a proxy in front of a server that is down (restarting) answers so: the server is gone, not refusing
            if (GATEWAY_DOWN.contains(res.statusCode())) throw new ServerLost(e.getMessage(), "HTTP " + res.statusCode());
            throw e;
        }
        return res;
    }

    @SuppressWarnings("unchecked")
    private static <T> HttpResponse.BodySubscriber<T> mapped(HttpResponse.BodySubscriber<String> s) {
        // error bodies are always read as text, whatever the caller wanted for a success
        return (HttpResponse.BodySubscriber<T>) (HttpResponse.BodySubscriber<?>) s;
    }

    private CliException unreachable(IOException e) {
        String why = e.getMessage() == null || e.getMessage().isBlank() ? "connection refused" : message(e);
        return new ServerLost("cannot reach the Stoker server at " + server + ": " + why
                + " — start it with 'stoker server' or set --server / STOKER_SERVER", why);
    }

    /** Why a handshake failed, in words (the JDK's messages name its internal exception types). */
    private String tlsReason(SSLHandshakeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof java.security.cert.CertPathBuilderException || m.contains("PKIX path")) {
                return "the server's certificate is not signed by a CA this client trusts";
            }
            if (m.contains("No subject alternative") || m.contains("No name matching")) {
                return "the server's certificate is not for the host name " + server.getHost() + " (its subject alternative names)";
            }
        }
        return message(e).replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error):\\s*", "");
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private JsonNode json(HttpResponse<String> res) {
        String body = res.body();
        if (body == null || body.isBlank()) return JSON.nullNode();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "the server at " + server + " answered something that is not JSON: "
                    + body.lines().findFirst().orElse(""));
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
