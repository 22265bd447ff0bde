package io.stoker.server.http

import com.sun.net.httpserver.HttpServer
import spock.lang.Specification

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

class OnDemandHttpClientSpec extends Specification {

    def "nothing is built until the first request, and then once"() {
        given:
        int builds = 0
        def client = new OnDemandHttpClient({ builds++; HttpClient.newHttpClient() })

        expect: "an owner that never sends costs no client"
        !client.built()
        builds == 0

        when:
        def first = client.get()
        def second = client.get()

        then:
        builds == 1
        first.is(second)
        client.built()

        cleanup:
        client.close()
    }

    def "the built client sends requests over real HTTP"() {
        given:
        def server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
        server.createContext('/') { exchange ->
            byte[] body = 'pong'.bytes
            exchange.sendResponseHeaders(200, body.length)
            exchange.responseBody.withCloseable { it.write(body) }
        }
        server.start()
        def client = new OnDemandHttpClient({ HttpClient.newHttpClient() })

        when:
        def answer = client.get().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:${server.address.port}/ping")).build(),
                HttpResponse.BodyHandlers.ofString())

        then:
        answer.statusCode() == 200
        answer.body() == 'pong'

        cleanup:
        client.close()
        server.stop(0)
    }

    def "after close no client is built any more, and closing an unbuilt one builds nothing"() {
        given:
        int builds = 0
        def client = new OnDemandHttpClient({ builds++; HttpClient.newHttpClient() })

        when:
        client.close()
        client.shutdownNow()
        client.get()

        then:
        thrown(IllegalStateException)
        builds == 0
    }

    def "a plain http:// POST goes out as HTTP/1.1 without asking for an h2c upgrade, from a client built for HTTP/2"() {
        given:
        def seen = new java.util.concurrent.CopyOnWriteArrayList<Map<String, List<String>>>()
        def server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
        server.createContext('/') { exchange ->
            seen << exchange.requestHeaders.collectEntries { k, v -> [(k.toLowerCase()): v] }
            exchange.requestBody.bytes
            exchange.sendResponseHeaders(204, -1)
            exchange.close()
        }
        server.start()
        def client = new OnDemandHttpClient({ HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build() })
        def post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:${server.address.port}/hook"))
                .POST(HttpRequest.BodyPublishers.ofString('{"state":"success"}')).build()

        when:
        def sync = client.get().send(post, HttpResponse.BodyHandlers.discarding())
        def async = client.get().sendAsync(post, HttpResponse.BodyHandlers.discarding()).get()

        then:
        [sync.statusCode(), async.statusCode()] == [204, 204]
        [sync.version(), async.version()] == [HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_1_1]
        seen.size() == 2
        seen.every { !it.containsKey('upgrade') && !it.containsKey('http2-settings') && !it.containsKey('connection') }

        and: 'the client still says what it was built for: https asks for HTTP/2 by ALPN'
        client.get().version() == HttpClient.Version.HTTP_2

        cleanup:
        client.close()
        server.stop(0)
    }
}
