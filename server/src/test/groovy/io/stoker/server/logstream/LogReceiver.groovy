package io.stoker.server.logstream

import java.nio.charset.StandardCharsets
import java.util.concurrent.CopyOnWriteArrayList

/**
 * A log stream receiver on 127.0.0.1 that reads chunked POSTs byte by byte from a raw socket, so a spec can drop a
 * connection in the middle of a body (a TCP reset, no answer). Only the bodies it answered 2xx count as received,
 * as the contract says.
 */
class LogReceiver implements Closeable {
    /** One request: its headers, the body bytes that arrived, and how it ended. */
    static class Req {
        Map<String, String> headers = [:]
        ByteArrayOutputStream body = new ByteArrayOutputStream()
        volatile boolean dropped
        volatile boolean answered

        long getOffset() { headers['x-stoker-log-offset'] as long }

        String getText() { body.toString(StandardCharsets.UTF_8) }
    }

    final ServerSocket server = new ServerSocket(0, 50, InetAddress.loopbackAddress)
    final List<Req> requests = new CopyOnWriteArrayList<>()
    /** The next request is dropped once this many body bytes arrived (then the setting is cleared). */
    volatile Integer dropAfter
    volatile int answer = 200
    /** Headers added to every answer, each line ending in CRLF (e.g. a redirect's Location). */
    volatile String answerHeaders = ''
    private final Thread acceptor

    LogReceiver() {
        acceptor = Thread.start('log-receiver') {
            while (!server.closed) {
                Socket s
                try {
                    s = server.accept()
                } catch (IOException closed) {
                    return
                }
                Thread.start('log-receiver-conn') { handle(s) }
            }
        }
    }

    String url(String path = '/logs') { "http://127.0.0.1:${server.localPort}$path" }

    /** The bodies of the answered requests, in order: what the receiver has. */
    String getAcknowledged() {
        requests.findAll { it.answered }*.text.join('')
    }

    List<Req> getAnswered() { requests.findAll { it.answered } }

    /**
     * The answered bodies placed at their offsets, as the README tells a receiver to keep them: bytes sent again
     * after a sender's stop (delivery is at least once across a stop or crash) land where they were.
     */
    String getPlaced() {
        def out = new ByteArrayOutputStream()
        byte[] log = new byte[0]
        for (Req r : answered) {
            byte[] body = r.body.toByteArray()
            int end = (int) r.offset + body.length
            if (end > log.length) log = Arrays.copyOf(log, end)
            System.arraycopy(body, 0, log, (int) r.offset, body.length)
        }
        out.write(log)
        out.toString(StandardCharsets.UTF_8)
    }

    private void handle(Socket s) {
        s.withCloseable {
            def input = new BufferedInputStream(s.inputStream)
            def req = new Req()
            String line = readLine(input)
            if (line == null) return
            while ((line = readLine(input))) {
                int colon = line.indexOf(':')
                req.headers[line.substring(0, colon).trim().toLowerCase()] = line.substring(colon + 1).trim()
            }
            requests << req
            Integer drop = dropAfter
            if (drop != null) dropAfter = null
            while (true) {
                String size = readLine(input)
                if (size == null) return // the sender went away
                int n = Integer.parseInt(size.split(';')[0].trim(), 16)
                if (n == 0) {
                    readLine(input) // the CRLF after the last chunk
                    break
                }
                for (int i = 0; i < n; i++) {
                    int b = input.read()
                    if (b < 0) return
                    req.body.write(b)
                    if (drop != null && req.body.size() >= drop) {
                        req.dropped = true
                        s.setSoLinger(true, 0) // a reset, not an orderly close
                        return
                    }
                }
                readLine(input)
            }
            // Recorded before the answer is written: once the sender reads a 2xx it may mark the stream delivered,
            // and a spec that then asks what arrived must see this body.
            req.answered = answer.intdiv(100) == 2
            s.outputStream.write("HTTP/1.1 $answer X\r\n${answerHeaders}Content-Length: 0\r\nConnection: close\r\n\r\n".getBytes('US-ASCII'))
            s.outputStream.flush()
        }
    }

    private static String readLine(InputStream input) {
        def out = new ByteArrayOutputStream()
        int b
        while ((b = input.read()) >= 0) {
            if (b == '\n' as char) return out.toString('US-ASCII').replaceAll('\r$', '')
            out.write(b)
        }
        out.size() ? out.toString('US-ASCII') : null
    }

    @Override
    void close() {
        server.close()
    }
}
