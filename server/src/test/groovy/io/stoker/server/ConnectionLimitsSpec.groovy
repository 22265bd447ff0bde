package io.stoker.server

import spock.lang.Stepwise

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * Connections cannot hold the server: a body that never arrives is cut off, an idle connection is closed, one
 * address holds a bounded number of connections; a followed log and the event stream stay open however quiet.
 * Raw sockets from 127.0.0.2 (their own address: the spec's HTTP client on 127.0.0.1 does not count against it).
 */
class ConnectionLimitsSpec extends ServerSpecification {
    static final long IDLE = 800
    static final long BODY = 800
    static final int CAP = 4

    @Override
    StokerServer startServer(ServerConfig config) {
        StokerServer.start(MigratedDatabase.into(config.withConnectionLimits(Duration.ofMillis(IDLE), Duration.ofMillis(BODY), CAP)))
    }

    def "a request whose body is shorter than its Content-Length is answered 408 and closed after the body timeout"() {
        given:
        def s = socket()
        long t0 = System.nanoTime()

        when:
        send(s, "POST /api/v1/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na")
        String answer = readToEnd(s)
        long millis = (System.nanoTime() - t0).intdiv(1_000_000)

        then:
        answer.startsWith('HTTP/1.1 408')
        answer.contains('"error":"request timeout"')
        millis >= BODY

        cleanup:
        s?.close()
    }

    def "a connection that sends nothing, or nothing more after its answer, is closed after the idle timeout"() {
        given:
        def silent = socket()
        def served = socket()
        long t0 = System.nanoTime()

        when:
        send(served, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        String answer = readToEnd(served)
        String nothing = readToEnd(silent)

        then: 'both end, the served one after its answer'
        answer.startsWith('HTTP/1.1 200')
        answer.contains('"status":"ok"')
        nothing == ''
        (System.nanoTime() - t0).intdiv(1_000_000) >= IDLE

        cleanup:
        silent?.close()
        served?.close()
    }

    def "one address holding as many connections as allowed gets 429 on one more, and a connection again once one closes"() {
        given: 'the cap of connections from one address, each following the event stream'
        def held = holdTheCap()

        when:
        def extra = socket()
        send(extra, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        String refused = readToEnd(extra)

        then:
        refused.startsWith('HTTP/1.1 429')
        refused.contains('"error":"too many connections"')

        when: 'one of them closes'
        held[0].close()
        String answer = Http.eventually {
            def again = socket()
            try {
                send(again, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                String a = readToEnd(again)
                a.startsWith('HTTP/1.1 200') ? a : null
            } finally {
                again.close()
            }
        }

        then:
        answer.contains('"status":"ok"')

        cleanup:
        held.each { it.close() }
        extra?.close()
    }

    def "a follow of a quiet run's log and the event stream stay open past the idle timeout"() {
        given: 'a run that says one line, then nothing until a gate opens'
        Path gate = Files.createTempFile('gate', '')
        Files.delete(gate)
        freestyle('quiet', """job('q') { task('t') { sh 'echo first; n=0; while [ ! -f $gate ] && [ \$n -lt 600 ]; do sleep 0.05; n=\$((n+1)); done; echo second' } }""")
        String key = trigger('quiet', 'q')
        def follow = socket()
        def events = socket()
        send(follow, "GET /api/v1/runs/$key/tasks/t/log?follow=true HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${http.token}\r\n\r\n")
        send(events, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${http.token}\r\n\r\n")
        readUntil(follow, 'first')
        readUntil(events, 'stoker events')

        when: 'three idle timeouts pass with nothing sent on either'
        long until = System.nanoTime() + 3 * IDLE * 1_000_000
        while (System.nanoTime() < until) {
            assert stillOpen(follow) && stillOpen(events)
        }
        gate.toFile().text = 'go'

        then: 'the follow still gets the run\'s last line and ends normally'
        readToEnd(follow).contains('second')
        stillOpen(events)

        cleanup:
        gate?.toFile()?.text = 'go'
        follow?.close()
        events?.close()
    }

    /**
     * {@link #CAP} connections from the spec's address, each following the event stream. The earlier features'
     * connections count until the server has handled their close, which a loaded machine may take a moment over: a
     * set with one refused is closed and tried again (bounded).
     */
    private List<Socket> holdTheCap() {
        Http.eventually {
            def held = (1..CAP).collect { socket() }
            held.each { send(it, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${http.token}\r\n\r\n") }
            boolean all = held.every {
                try {
                    readUntil(it, 'stoker events').startsWith('HTTP/1.1 200')
                } catch (AssertionError refused) {
                    false
                }
            }
            if (!all) held.each { it.close() }
            all ? held : null
        }
    }

    private Socket socket() {
        def s = new Socket()
        s.bind(new InetSocketAddress('127.0.0.2', 0))
        s.connect(new InetSocketAddress('127.0.0.1', server.port()), 5000)
        s
    }

    private static void send(Socket s, String text) {
        s.outputStream.write(text.getBytes(StandardCharsets.UTF_8))
        s.outputStream.flush()
    }

    /** Everything until the server closes the connection (bounded: 20 s scaled). */
    private static String readToEnd(Socket s) {
        s.soTimeout = (int) (20_000 * Http.TIMEOUT_FACTOR)
        new String(s.inputStream.readAllBytes(), StandardCharsets.UTF_8)
    }

    /** Reads until the text has arrived (bounded: 20 s scaled); returns all read. */
    private static String readUntil(Socket s, String text) {
        s.soTimeout = (int) (20_000 * Http.TIMEOUT_FACTOR)
        def out = new ByteArrayOutputStream()
        byte[] buf = new byte[4096]
        while (!out.toString('UTF-8').contains(text)) {
            int n = s.inputStream.read(buf)
            if (n < 0) throw new AssertionError("closed before '$text' arrived: ${out.toString('UTF-8')}")
            out.write(buf, 0, n)
        }
        out.toString('UTF-8')
    }

    /** True when the server has not closed the connection: a short read times out rather than ending. */
    private static boolean stillOpen(Socket s) {
        s.soTimeout = 100
        try {
            return s.inputStream.read() >= 0 || false
        } catch (SocketTimeoutException e) {
            return true
        }
    }
}
