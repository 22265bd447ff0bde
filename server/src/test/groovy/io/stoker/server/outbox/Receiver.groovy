package io.stoker.server.outbox

import com.sun.net.httpserver.HttpServer
import io.stoker.engine.fixtures.ClosedPort
import io.stoker.server.Http

import java.util.concurrent.CopyOnWriteArrayList

/**
 * A webhook receiver on 127.0.0.1 that records every request. It starts down (its port bound but refusing
 * connections, so nothing else can take it) until {@link #up} makes it listen on that same port.
 */
class Receiver implements Closeable {
    /** One request as received. */
    static class Got {
        String method
        String path
        Map<String, String> headers
        String body

        def getJson() { Http.parse(body) }
    }

    final List<Got> got = new CopyOnWriteArrayList<>()
    final int port
    private ClosedPort closed = new ClosedPort()
    private HttpServer server
    int answer = 200
    Map<String, String> answerHeaders = [:]

    Receiver() {
        port = closed.port
    }

    String url(String path = '/hook', String userInfo = null) {
        "http://${userInfo ? userInfo + '@' : ''}127.0.0.1:$port$path"
    }

    Receiver up() {
        closed.close()
        server = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, port), 0)
        server.createContext('/') { ex ->
            Map<String, String> headers = [:]
            ex.requestHeaders.each { k, v -> headers[k.toLowerCase()] = v.join(',') }
            got << new Got(method: ex.requestMethod, path: ex.requestURI.toString(), headers: headers,
                    body: new String(ex.requestBody.readAllBytes(), 'UTF-8'))
            answerHeaders.each { k, v -> ex.responseHeaders.add(k, v) }
            ex.sendResponseHeaders(answer, -1)
            ex.close()
        }
        server.start()
        this
    }

    @Override
    void close() {
        server?.stop(0)
        closed.close()
    }
}
