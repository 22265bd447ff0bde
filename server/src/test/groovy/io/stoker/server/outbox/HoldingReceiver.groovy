package io.stoker.server.outbox

import com.sun.net.httpserver.HttpServer
import io.stoker.server.Http

import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * A webhook receiver on 127.0.0.1 that holds the first request it gets without answering (until it closes), and
 * answers every later one at once.
 */
class HoldingReceiver implements Closeable {
    final List<Map> held = new CopyOnWriteArrayList<>()
    final List<Map> answered = new CopyOnWriteArrayList<>()
    private final CountDownLatch release = new CountDownLatch(1)
    private final java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(4)
    private final HttpServer server

    HoldingReceiver() {
        server = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
        server.executor = threads
        server.createContext('/') { ex ->
            Map body = Http.parse(new String(ex.requestBody.readAllBytes(), 'UTF-8')) as Map
            boolean first
            synchronized (this) {
                first = held.isEmpty()
                (first ? held : answered) << body
            }
            if (first) release.await(5, TimeUnit.MINUTES)
            ex.sendResponseHeaders(200, -1)
            ex.close()
        }
        server.start()
    }

    String url() {
        "http://127.0.0.1:${server.address.port}/hook"
    }

    @Override
    void close() {
        release.countDown()
        server.stop(0)
        threads.shutdownNow()
    }
}
