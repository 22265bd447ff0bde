package io.stoker.server.forge

import io.stoker.server.Http
import io.vertx.core.Vertx
import io.vertx.core.http.HttpServer

import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

/**
 * A git host's API stand-in: a Vert.x HTTP server on 127.0.0.1 that records every request (method, raw path,
 * headers in lower case, body) and answers 201 as the hosts do, or, when {@link #hang} is set, never answers, or as a
 * host over its rate limit ({@link #limitedPrefix}) or refusing the token ({@link #refusedPrefix}).
 */
class ApiReceiver implements Closeable {
    static class Got {
        String method
        String path
        Map<String, String> headers
        String body

        def getJson() { Http.parse(body) }
    }

    final Vertx vertx = Vertx.vertx()
    final List<Got> got = new CopyOnWriteArrayList<>()
    volatile boolean hang
    /** Requests under this path prefix are answered as GitHub answers a used-up quota, {@link #limitedTimes} times. */
    volatile String limitedPrefix
    final java.util.concurrent.atomic.AtomicInteger limitedTimes = new java.util.concurrent.atomic.AtomicInteger()
    /** Requests under this path prefix are answered as GitHub answers a token it does not know (401 Bad credentials). */
    volatile String refusedPrefix
    final HttpServer server

    ApiReceiver() {
        server = vertx.createHttpServer().requestHandler { req ->
            req.body().onSuccess { buf ->
                Map<String, String> headers = [:]
                req.headers().names().each { n -> headers[n.toLowerCase()] = req.headers().getAll(n).join(',') }
                got << new Got(method: req.method().name(), path: req.uri(), headers: headers, body: buf.toString('UTF-8'))
                if (limitedPrefix && req.uri().startsWith(limitedPrefix) && limitedTimes.getAndDecrement() > 0) {
                    long reset = java.time.Instant.now().plusSeconds(1).epochSecond
                    req.response().setStatusCode(403).putHeader('x-ratelimit-remaining', '0')
                            .putHeader('x-ratelimit-reset', reset as String).end('{"message":"API rate limit exceeded"}')
                } else if (refusedPrefix && req.uri().startsWith(refusedPrefix)) {
                    req.response().setStatusCode(401).putHeader('content-type', 'application/json; charset=utf-8')
                            .end('{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}')
                } else if (!hang) {
                    req.response().setStatusCode(201).putHeader('content-type', 'application/json').end('{"id":1}')
                }
            }
        }.listen(0, '127.0.0.1').toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
    }

    String url(String path = '') {
        "http://127.0.0.1:${server.actualPort()}$path"
    }

    /** The requests whose path starts with {@code prefix}. */
    List<Got> at(String prefix) {
        got.findAll { it.path.startsWith(prefix) }
    }

    @Override
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
    }
}
