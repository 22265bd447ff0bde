package io.stoker.server

import com.fasterxml.jackson.databind.ObjectMapper
import io.stoker.agent.ssh.SshAgent

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * A small HTTP client for specs: JSON in and out over java.net.http, against a real server. It sends its bearer
 * token (when it has one) on every call; {@link #loggedIn} makes one for a user, {@link #withToken} and
 * {@link #anonymous} call as someone else or as nobody.
 */
class Http {
    static final ObjectMapper JSON = new ObjectMapper()
    /** The build's {@code -Dstoker.test.timeoutFactor} (rounded up to a whole number), like every module's specs. */
    static final long TIMEOUT_FACTOR = Math.max(1L, Math.ceil((System.getProperty('stoker.test.timeoutFactor') ?: '1') as double) as long)
    /** The admin password specs start servers with (STOKER_ADMIN_PASSWORD). */
    static final String ADMIN_PASSWORD = 'spec-admin-password'

    /** Paths served outside {@code /api/v1}, as the OpenAPI document lists them. */
    static final Set<String> ROOT_PATHS = ['/healthz', '/metrics', '/shuttle'] as Set

    final String base
    final String token
    final HttpClient client

    Http(String base, String token = null, HttpClient client = null) {
        this.base = base
        this.token = token
        this.client = client ?: newClient(null)
    }

    /** A client of an https server whose certificate {@code ssl} trusts (null: the JDK's trust store). */
    Http(String base, javax.net.ssl.SSLContext ssl) {
        this(base, (String) null, newClient(ssl))
    }

    static HttpClient newClient(javax.net.ssl.SSLContext ssl) {
        def b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        if (ssl != null) b.sslContext(ssl)
        b.build()
    }

    /**
     * Logs in as {@code username} and returns a client that sends a named API token of that user (an API token,
     * not the 15-minute access token, so long specs and moved clocks do not log it out).
     */
    static Http loggedIn(String base, String username = 'admin', String password = ADMIN_PASSWORD) {
        new Http(base).logIn(username, password)
    }

    /** This client's server and connection, logged in as {@code username} with a fresh API token. */
    Http logIn(String username = 'admin', String password = ADMIN_PASSWORD) {
        def anon = anonymous()
        def login = anon.post('/login', [username: username, password: password])
        assert login.status == 200, login.text
        def jwt = anon.withToken(login.json.token as String)
        def created = jwt.post('/tokens', [name: 'spec-' + UUID.randomUUID()])
        assert created.status == 201, created.text
        withToken(created.json.token as String)
    }

    /** The same server, calling with another bearer token. */
    Http withToken(String token) {
        new Http(base, token, client)
    }

    /** The same server, calling without a token. */
    Http anonymous() {
        new Http(base, null, client)
    }

    /** One answer: status, body text, headers; {@code json} parses the body. */
    static class Reply {
        int status
        String text
        byte[] bytes
        Map<String, List<String>> headers

        def getJson() {
            parse(text)
        }

        String header(String name) {
            headers.find { k, v -> k.equalsIgnoreCase(name) }?.value?.first()
        }
    }

    Reply get(String path, Map<String, String> headers = [:]) {
        exchange(HttpRequest.newBuilder(uri(path)).GET(), headers)
    }

    Reply delete(String path) {
        exchange(HttpRequest.newBuilder(uri(path)).DELETE(), [:])
    }

    Reply post(String path, body = null) {
        exchange(HttpRequest.newBuilder(uri(path)).POST(publisher(body)), ['content-type': 'application/json'])
    }

    /** A post whose answer may take longer than the usual 30 s (a compile held to its CPU budget on a loaded machine). */
    Reply post(String path, body, Duration limit) {
        exchange(HttpRequest.newBuilder(uri(path)).POST(publisher(body)), ['content-type': 'application/json'], limit)
    }

    /**
     * Asks for an agent's install: the server may first wait for its login over SSH, then for the host's check
     * (each tool's version command bounded at 8 s, the whole check at 60 s), which on a loaded machine outlasts the
     * usual 30 s; waited for as {@code stoker agent install} waits, longer than the server's install may take.
     */
    Reply install(String agent) {
        post("/agents/$agent/install", [:], SshAgent.Settings.DEFAULTS.installLimit().plusSeconds(30))
    }

    /** Posts raw bytes with exactly the given headers (webhooks: the signature covers these bytes). */
    Reply postRaw(String path, byte[] body, Map<String, String> headers) {
        exchange(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)), headers)
    }

    Reply put(String path, body) {
        exchange(HttpRequest.newBuilder(uri(path)).PUT(publisher(body)), ['content-type': 'application/json'])
    }

    Reply method(String method, String path) {
        exchange(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()), [:])
    }

    /**
     * Sends any method to a path given raw (already escaped, query included) with a body and exactly these headers,
     * for fuzzing. A 2xx event stream is cut after its headers (it would never end); any other body is read whole,
     * and a body that does not end within {@code bodyMillis} is an error (a hang).
     */
    Reply raw(String method, String rawPath, byte[] body, Map<String, String> headers, long bodyMillis = 10_000) {
        def b = HttpRequest.newBuilder(uri(rawPath))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        // the caller's token unless the fuzz brings its own Authorization header
        if (token != null && !headers.keySet().any { it.equalsIgnoreCase('Authorization') }) {
            b.header('Authorization', 'Bearer ' + token)
        }
        headers.each { k, v -> b.header(k, v) }
        b.timeout(Duration.ofSeconds(10 * TIMEOUT_FACTOR))
        HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream())
        def type = r.headers().firstValue('content-type').orElse('')
        byte[] bytes
        if (r.statusCode() < 300 && type.startsWith('text/event-stream')) {
            r.body().close()
            bytes = new byte[0]
        } else {
            def read = java.util.concurrent.CompletableFuture.supplyAsync { r.body().withCloseable { it.readAllBytes() } }
            try {
                bytes = read.get(bodyMillis * TIMEOUT_FACTOR, java.util.concurrent.TimeUnit.MILLISECONDS)
            } catch (java.util.concurrent.TimeoutException e) {
                r.body().close()
                throw new AssertionError("$method $rawPath: status ${r.statusCode()} but the body did not end within $bodyMillis ms")
            }
        }
        new Reply(status: r.statusCode(), bytes: bytes, text: new String(bytes, 'UTF-8'), headers: r.headers().map())
    }

    /** Reads a streamed answer line by line until it ends, handing each line to {@code onLine} as it arrives. */
    int stream(String path, Map<String, String> headers, Closure onLine) {
        def b = HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(60 * TIMEOUT_FACTOR))
        if (token != null) b.header('Authorization', 'Bearer ' + token)
        headers.each { k, v -> b.header(k, v) }
        HttpResponse<java.util.stream.Stream<String>> r = client.send(b.build(), HttpResponse.BodyHandlers.ofLines())
        r.body().withCloseable { lines -> lines.forEach { onLine(it) } }
        r.statusCode()
    }

    /** JSON text as Groovy-friendly maps and lists. */
    static parse(String text) {
        JSON.readValue(text, Object)
    }

    private URI uri(String path) {
        if (path.startsWith('http')) return URI.create(path)
        URI.create(ROOT_PATHS.any { path.startsWith(it) } ? base + path : base + '/api/v1' + path)
    }

    private static HttpRequest.BodyPublisher publisher(body) {
        if (body == null) return HttpRequest.BodyPublishers.noBody()
        if (body instanceof byte[]) return HttpRequest.BodyPublishers.ofByteArray(body)
        if (body instanceof String) return HttpRequest.BodyPublishers.ofString(body)
        HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))
    }

    private Reply exchange(HttpRequest.Builder b, Map<String, String> headers,
                           Duration limit = Duration.ofSeconds(30)) {
        if (token != null && !headers.keySet().any { it.equalsIgnoreCase('Authorization') }) {
            b.header('Authorization', 'Bearer ' + token)
        }
        headers.each { k, v -> b.header(k, v) }
        b.timeout(limit.multipliedBy(TIMEOUT_FACTOR))
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray())
        new Reply(status: r.statusCode(), bytes: r.body(), text: new String(r.body(), 'UTF-8'), headers: r.headers().map())
    }

    /** Polls {@code condition} every 50 ms until it returns a truthy value or the (scaled) time is up. */
    static <T> T eventually(long millis = 20_000, Closure<T> condition) {
        long deadline = System.currentTimeMillis() + millis * TIMEOUT_FACTOR
        T last = null
        while (System.currentTimeMillis() < deadline) {
            last = condition()
            if (last) return last
            Thread.sleep(50)
        }
        throw new AssertionError("condition not met within ${millis * TIMEOUT_FACTOR} ms; last value: $last")
    }
}
