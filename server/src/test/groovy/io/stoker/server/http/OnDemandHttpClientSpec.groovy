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
}
