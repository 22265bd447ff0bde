package io.stoker.server.fuzz

import io.stoker.server.Http
import io.stoker.server.ServerSpecification

import java.nio.charset.StandardCharsets

/**
 * Requests the HTTP codec itself refuses (over-long request line or headers, bytes that are not HTTP) sent over a
 * raw socket: still a 4xx with the API's JSON error, and the server keeps serving.
 */
class MalformedHttpSpec extends ServerSpecification {

    def "a request the HTTP codec cannot parse gets #status with a JSON error: #why"() {
        when:
        def answer = rawExchange(request)

        then:
        // the codec could not read the request's version, so the answer may say HTTP/1.0
        answer ==~ /(?s)HTTP\/1\.[01] $status .*/
        def json = Http.parse(answer.substring(answer.indexOf('\r\n\r\n') + 4))
        json.error instanceof String
        json.message instanceof String

        and: 'the server is still healthy'
        http.get('/healthz').status == 200

        where:
        why                        | status | request
        'request line over 4 KiB'  | 414    | "GET /api/v1/projects/${'x' * 10_000} HTTP/1.1\r\nHost: x\r\n\r\n"
        'headers over 8 KiB'       | 431    | "GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'x' * 9_000}\r\n\r\n"
        'not an HTTP request line' | 400    | "\u0000\u0001\u0002 junk\r\nHost: x\r\n\r\n"
        'a bad header line'        | 400    | "GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"
    }

    def "a path with a malformed %-escape is a 400 that says so: #method #path"() {
        when: 'sent raw: java.net.URI refuses to build such a path'
        def answer = rawExchange("$method /api/v1$path HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $http.token\r\n" +
                "Content-Length: 0\r\nConnection: close\r\n\r\n")

        then:
        answer.startsWith('HTTP/1.1 400 ')
        def json = Http.parse(answer.substring(answer.indexOf('\r\n\r\n') + 4))
        json.error == 'bad request'
        json.message == "the path holds an invalid %-escape '$escape': a '%' must start two hex digits (write '%' itself as %25)"

        where:
        method | path                   | escape
        'GET'  | '/projects/%zz'        | '%zz'
        'POST' | '/runs/%zz/rerun'      | '%zz'
        'GET'  | '/projects/a%2'        | '%2'
    }

    /** Writes the bytes, reads the answer until the server closes the connection (bounded by a read timeout). */
    String rawExchange(String request) {
        def uri = URI.create(server.url())
        new Socket(uri.host, uri.port).withCloseable { s ->
            s.soTimeout = 10_000
            s.outputStream.write(request.getBytes(StandardCharsets.ISO_8859_1))
            s.outputStream.flush()
            new String(s.inputStream.readAllBytes(), StandardCharsets.UTF_8)
        }
    }
}
