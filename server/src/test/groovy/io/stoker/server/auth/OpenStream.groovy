package io.stoker.server.auth

import io.stoker.server.Http

import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch

/**
 * A streamed answer ({@code /events}, a followed log) read line by line on a thread of its own while the spec goes
 * on: the lines so far, and whether the server ended it. {@link #close} hangs up.
 */
class OpenStream implements Closeable {
    final List<String> lines = new CopyOnWriteArrayList<>()
    private final CountDownLatch ended = new CountDownLatch(1)
    private InputStream body

    /** Opens {@code path} of the API with {@code client}'s token; fails unless the answer is a 200. */
    static OpenStream open(Http client, String path, Map<String, String> headers = [:]) {
        def b = HttpRequest.newBuilder(URI.create(client.base + '/api/v1' + path)).GET()
        b.header('Authorization', 'Bearer ' + client.token)
        headers.each { k, v -> b.header(k, v) }
        HttpResponse<InputStream> r = client.client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream())
        assert r.statusCode() == 200, "$path: ${r.statusCode()} ${r.body().text}"
        def s = new OpenStream(body: r.body())
        Thread.ofPlatform().daemon().name('open-stream').start {
            try {
                s.body.newReader('UTF-8').eachLine { s.lines << it }
            } catch (IOException ignored) {
                // hung up by close(), or cut by the server: over either way
            } finally {
                s.ended.countDown()
            }
        }
        s
    }

    /** The data, as JSON, of every server-sent event read so far, in the order they came. */
    List<Map> events() {
        lines.findAll { it.startsWith('data: ') }.collect { (Map) Http.parse(it.substring(6)) }
    }

    /** The data, as JSON, of the server-sent events named {@code type} ({@code event: TYPE}) read so far. */
    List<Map> events(String type) {
        List<Map> found = []
        String named = null
        for (String line : lines) {
            if (line.startsWith('event: ')) named = line.substring(7)
            else if (line.startsWith('data: ') && named == type) found << (Map) Http.parse(line.substring(6))
            else if (line.isEmpty()) named = null
        }
        found
    }

    /** True once the server ended the answer (or it was closed here). */
    boolean isOver() {
        ended.count == 0
    }

    @Override
    void close() {
        body?.close()
    }
}
