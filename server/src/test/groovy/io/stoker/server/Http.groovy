package io.stoker.server

import com.fasterxml.jackson.databind.ObjectMapper

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/** A small HTTP client for specs: JSON in and out over java.net.http, against a real server. */
class Http {
    static final ObjectMapper JSON = new ObjectMapper()
    static final long TIMEOUT_FACTOR = Long.getLong('stoker.timeoutFactor', 1L)

    final String base
    final HttpClient client

    Http(String base) {
        this(base, null)
    }

    /** A client of an https server whose certificate {@code ssl} trusts (null: the JDK's trust store). */
    Http(String base, javax.net.ssl.SSLContext ssl) {
        this.base = base
        def b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        if (ssl != null) b.sslContext(ssl)
        this.client = b.build()
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
        URI.create(path.startsWith('/healthz') ? base + path : base + '/api/v1' + path)
    }

    private static HttpRequest.BodyPublisher publisher(body) {
        if (body == null) return HttpRequest.BodyPublishers.noBody()
        if (body instanceof byte[]) return HttpRequest.BodyPublishers.ofByteArray(body)
        if (body instanceof String) return HttpRequest.BodyPublishers.ofString(body)
        HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))
    }

    private Reply exchange(HttpRequest.Builder b, Map<String, String> headers) {
        headers.each { k, v -> b.header(k, v) }
        b.timeout(Duration.ofSeconds(30 * TIMEOUT_FACTOR))
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
