package io.stoker.server.agent

/**
 * A TCP proxy on 127.0.0.1 between a pull agent and the server, so a spec can cut the network: while it is
 * {@link #cut}, live connections are closed and new ones are closed as soon as they are accepted. While it is
 * {@link #stall}ed, bytes are held in both directions and the connections stay open, as when the agent's process
 * is stopped (SIGSTOP): nothing answers, nothing closes.
 */
class TcpProxy implements Closeable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName('127.0.0.1'))
    private final int targetPort
    private final List<Socket> live = Collections.synchronizedList([])
    private volatile boolean down
    private volatile boolean closed
    private final Object gate = new Object()
    private boolean stalled // guarded by gate

    TcpProxy(int targetPort) {
        this.targetPort = targetPort
        Thread.ofPlatform().daemon().name('tcp-proxy').start { accept() }
    }

    int port() {
        listener.localPort
    }

    String url() {
        "http://127.0.0.1:${port()}"
    }

    /** Closes every live connection and refuses new ones until {@link #restore}. */
    void cut() {
        down = true
        synchronized (live) {
            live.each { it.close() }
            live.clear()
        }
    }

    void restore() {
        down = false
    }

    /** Holds every byte in flight, both ways, until {@link #flow}. */
    void stall() {
        synchronized (gate) {
            stalled = true
        }
    }

    /** Lets what was held through, in order. */
    void flow() {
        synchronized (gate) {
            stalled = false
            gate.notifyAll()
        }
    }

    private void awaitFlow() {
        synchronized (gate) {
            while (stalled && !closed) gate.wait(100)
        }
    }

    private void accept() {
        while (!closed) {
            Socket from
            try {
                from = listener.accept()
            } catch (IOException e) {
                return
            }
            if (down) {
                from.close()
                continue
            }
            Socket to = new Socket('127.0.0.1', targetPort)
            live << from
            live << to
            pump(from, to)
            pump(to, from)
        }
    }

    private void pump(Socket a, Socket b) {
        Thread.ofPlatform().daemon().name('tcp-proxy-pump').start {
            try {
                byte[] buffer = new byte[16384]
                for (int n = a.inputStream.read(buffer); n >= 0; n = a.inputStream.read(buffer)) {
                    awaitFlow()
                    b.outputStream.write(buffer, 0, n)
                    b.outputStream.flush()
                }
                awaitFlow() // the end too is held back
            } catch (IOException ignored) {
                // cut
            } finally {
                a.close()
                b.close()
            }
        }
    }

    @Override
    void close() {
        closed = true
        cut()
        listener.close()
    }
}
