package io.stoker.server.ui

import com.sun.net.httpserver.HttpServer

import java.nio.file.Files
import java.nio.file.Path

/**
 * The web UI's source directory served as it is, on 127.0.0.1 and a free port: the front-end unit tests
 * ({@code tests.html}, {@code js/test-kit.js}, {@code js/*.test.js}) live beside the modules they test but are left out
 * of the jar the server serves from, so the browser spec runs them from here.
 */
class UiSources implements Closeable {
    /** Relative to the server module, where Maven runs its specs. */
    static final Path ROOT = Path.of('..', 'ui', 'src', 'main', 'resources', 'META-INF', 'resources', 'stoker-ui')
            .toAbsolutePath().normalize()
    static final Map<String, String> TYPES = [html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8',
                                              css : 'text/css; charset=utf-8', svg: 'image/svg+xml']

    final HttpServer server

    UiSources() {
        server = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
        server.createContext('/') { exchange ->
            Path file = ROOT.resolve(exchange.requestURI.path.substring(1)).normalize()
            boolean found = file.startsWith(ROOT) && Files.isRegularFile(file)
            byte[] body = found ? Files.readAllBytes(file) : 'not found'.bytes
            String type = TYPES[file.fileName.toString().tokenize('.').last()] ?: 'application/octet-stream'
            exchange.responseHeaders.add('content-type', found ? type : 'text/plain')
            exchange.sendResponseHeaders(found ? 200 : 404, body.length)
            exchange.responseBody.withCloseable { it.write(body) }
        }
        server.start()
    }

    String url() {
        "http://127.0.0.1:${server.address.port}"
    }

    @Override
    void close() {
        server.stop(0)
    }
}
