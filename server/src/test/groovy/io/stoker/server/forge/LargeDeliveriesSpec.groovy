package io.stoker.server.forge

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.Timeout

/**
 * Webhook bodies are read before their signature can be checked, so the large ones the server reads or holds at
 * once are bounded: one past the bound is a 503 at once, and the room comes back when a delivery ends.
 */
@Timeout(120)
class LargeDeliveriesSpec extends ServerSpecification {

    static final long MB64 = 64L << 20

    def "a fifth 64 MB delivery while four are being read is a 503, and the room comes back when they end"() {
        given: 'five deliveries announcing 64 MB each, their bodies not sent yet'
        int port = URI.create(server.url()).port
        List<Socket> sockets = (1..5).collect {
            def s = new Socket('127.0.0.1', port)
            s.outputStream.write(("POST /api/v1/hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                    "Content-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: d-$it\r\n" +
                    "Content-Length: $MB64\r\n\r\n").getBytes('US-ASCII'))
            s.outputStream.flush()
            s
        }

        when: 'one of them is answered'
        List<Socket> answered = Http.eventually { sockets.findAll { it.inputStream.available() > 0 }.with { it ?: null } }

        then: 'only one, at once, with a 503 that says why'
        answered.size() == 1
        String answer = answered[0].withCloseable {
            it.soTimeout = 30_000
            new String(it.inputStream.readAllBytes(), 'UTF-8') // the server closes after its answer
        }
        answer.startsWith('HTTP/1.1 503')
        answer.toLowerCase().contains('retry-after: 10')
        answer.contains('as many large webhook bodies as it holds at once (256 MB)')

        when: 'the four others give up'
        (sockets - answered)*.close()

        then: 'a large delivery is read again, and refused for its signature, not for room'
        byte[] body = ('{"pad": "' + ('x' * (2 << 20)) + '"}').bytes
        Http.eventually {
            def r = http.anonymous().postRaw('/hooks/github', body, ['content-type': 'application/json',
                    'x-github-event': 'push', 'x-github-delivery': 'after', 'x-hub-signature-256': 'sha256=00'])
            r.status != 503 ? r : null
        }.status == 401

        cleanup:
        sockets*.close()
    }
}
