package io.stoker.server.git

import io.vertx.core.Vertx
import io.vertx.core.buffer.Buffer
import io.vertx.core.http.HttpServer
import io.vertx.core.http.HttpServerRequest

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * Serves every repository under a directory over real smart HTTP on 127.0.0.1 (a free port): a Vert.x HTTP server
 * that runs {@code git http-backend} (a CGI) once per request. {@code url('app.git')} is the clone URL of
 * {@code root/app.git}. With {@link #withBasicAuth} every request must carry those credentials (else 401), and
 * authenticated requests may also push. Close it to stop the server (and its Vert.x instance if it made one).
 */
class GitHttpServer implements AutoCloseable {
    private static final long CGI_TIMEOUT_SECONDS = 60

    final Path root
    private final Vertx vertx
    private final boolean ownsVertx
    private final String user
    private final String password
    private HttpServer server
    private final AtomicInteger requests = new AtomicInteger()
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null)

    private GitHttpServer(Vertx vertx, boolean ownsVertx, Path root, String user, String password) {
        this.vertx = vertx
        this.ownsVertx = ownsVertx
        this.root = root.toAbsolutePath()
        this.user = user
        this.password = password
    }

    /** Serves {@code root} without authentication, on its own Vert.x instance. */
    static GitHttpServer serve(Path root) {
        new GitHttpServer(Vertx.vertx(), true, root, null, null).start()
    }

    /** Serves {@code root} on the given Vert.x instance (not closed by {@link #close()}). */
    static GitHttpServer serve(Vertx vertx, Path root) {
        new GitHttpServer(vertx, false, root, null, null).start()
    }

    /** Serves {@code root} to clients that send HTTP basic credentials {@code user:password} only. */
    static GitHttpServer withBasicAuth(Path root, String user, String password) {
        new GitHttpServer(Vertx.vertx(), true, root, user, password).start()
    }

    int port() {
        server.actualPort()
    }

    /** The clone URL of {@code root/<name>}. */
    String url(String name) {
        "http://127.0.0.1:${port()}/${name}"
    }

    /** Requests handled so far (a spec can check that the client really went over HTTP). */
    int requestCount() {
        requests.get()
    }

    /**
     * Holds every request from now on until {@link #release()} (a slow host, or a first clone of a big repository):
     * they are answered then, in full.
     */
    void hold() {
        gate = new CompletableFuture<Void>()
    }

    /** Answers the requests {@link #hold()} held, and every later one at once. */
    void release() {
        gate.complete(null)
    }

    private GitHttpServer start() {
        server = vertx.createHttpServer()
                .requestHandler(this.&handle)
                .listen(0, '127.0.0.1')
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
        this
    }

    private void handle(HttpServerRequest request) {
        requests.incrementAndGet()
        String remoteUser = null
        if (user != null) {
            String expected = 'Basic ' + Base64.encoder.encodeToString("$user:$password".getBytes(StandardCharsets.UTF_8))
            if (request.getHeader('Authorization') != expected) {
                request.response().setStatusCode(401).putHeader('WWW-Authenticate', 'Basic realm="git"').end('unauthorized')
                return
            }
            remoteUser = user
        }
        String who = remoteUser
        CompletableFuture<Void> held = gate
        request.body().onSuccess { Buffer body ->
            // the CGI blocks on disk and process I/O: run it on a worker, never on the event loop
            vertx.executeBlocking({ -> held.get(CGI_TIMEOUT_SECONDS, TimeUnit.SECONDS); runCgi(request, body, who); null }, false)
                    .onFailure { Throwable t ->
                        if (!request.response().headWritten()) {
                            request.response().setStatusCode(500).end(String.valueOf(t.message))
                        } else {
                            request.response().reset()
                        }
                    }
        }
    }

    private void runCgi(HttpServerRequest request, Buffer body, String remoteUser) {
        Path input = Files.createTempFile('git-http-body', '.bin')
        try {
            Files.write(input, body.bytes)
            def pb = new ProcessBuilder('git', 'http-backend')
            def env = pb.environment()
            env.keySet().removeIf { it.startsWith('GIT_') }
            env.GIT_PROJECT_ROOT = root.toString()
            env.GIT_HTTP_EXPORT_ALL = '1'
            env.REQUEST_METHOD = request.method().name()
            env.PATH_INFO = URLDecoder.decode(request.path(), StandardCharsets.UTF_8)
            env.QUERY_STRING = request.query() ?: ''
            env.CONTENT_TYPE = request.getHeader('Content-Type') ?: ''
            env.CONTENT_LENGTH = String.valueOf(body.length())
            env.REMOTE_ADDR = request.remoteAddress()?.hostAddress() ?: '127.0.0.1'
            env.SERVER_PROTOCOL = 'HTTP/1.1'
            env.GATEWAY_INTERFACE = 'CGI/1.1'
            if (remoteUser != null) {
                env.REMOTE_USER = remoteUser
            }
            request.headers().each { Map.Entry<String, String> h ->
                // HTTP_CONTENT_ENCODING (gzip bodies) and HTTP_GIT_PROTOCOL (protocol v2) matter to the backend
                env['HTTP_' + h.key.toUpperCase(Locale.ROOT).replace('-', '_')] = h.value
            }
            pb.redirectInput(input.toFile())
            pb.redirectError(ProcessBuilder.Redirect.DISCARD)
            Process process = pb.start()
            // a hung CGI must not hang the spec: kill it after the timeout, which ends the reads below
            long watchdog = vertx.setTimer(CGI_TIMEOUT_SECONDS * 1000) { process.destroyForcibly() }
            try {
                def out = new BufferedInputStream(process.inputStream)
                def response = request.response()
                int status = 200
                Map<String, String> headers = [:]
                String line
                while ((line = readHeaderLine(out)) != null && !line.isEmpty()) {
                    int colon = line.indexOf(':')
                    if (colon <= 0) {
                        continue
                    }
                    String name = line.substring(0, colon).trim()
                    String value = line.substring(colon + 1).trim()
                    if (name.equalsIgnoreCase('Status')) {
                        status = Integer.parseInt(value.split(' ')[0])
                    } else {
                        headers[name] = value
                    }
                }
                response.statusCode = status
                headers.each { k, v -> response.putHeader(k, v) }
                response.chunked = true
                byte[] chunk = new byte[64 * 1024]
                int n
                while ((n = out.read(chunk)) > 0) {
                    waitFor(response.write(Buffer.buffer(Arrays.copyOf(chunk, n))))
                }
                waitFor(response.end())
                process.waitFor(CGI_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            } finally {
                vertx.cancelTimer(watchdog)
                process.destroyForcibly()
            }
        } finally {
            Files.deleteIfExists(input)
        }
    }

    private static void waitFor(io.vertx.core.Future<?> future) {
        future.toCompletionStage().toCompletableFuture().get(CGI_TIMEOUT_SECONDS, TimeUnit.SECONDS)
    }

    /** One CGI header line (ending in LF or CRLF), or null at end of stream. */
    private static String readHeaderLine(InputStream in) {
        def bytes = new ByteArrayOutputStream()
        int c
        while ((c = in.read()) != -1 && c != 10) { // LF
            if (c != 13) { // CR
                bytes.write(c)
            }
            if (bytes.size() > 8192) {
                throw new IOException('CGI header line too long')
            }
        }
        c == -1 && bytes.size() == 0 ? null : bytes.toString('ISO-8859-1')
    }

    @Override
    void close() {
        server?.close()?.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
        if (ownsVertx) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
        }
    }
}
