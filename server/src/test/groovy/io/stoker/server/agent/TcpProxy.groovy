package io.stoker.server.agent

/**
 * A TCP proxy on 127.0.0.1 between a pull agent and the server, so a spec can cut the network: while it is
 * {@link #cut}, live connections are closed and new ones are closed as soon as they are accepted.
 */
class TcpProxy implements Closeable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName('127.0.0.1'))
    private final int targetPort
    private final List<Socket> live = Collections.synchronizedList([])
    private volatile boolean down
    private volatile boolean closed

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

    private static void pump(Socket a, Socket b) {
        Thread.ofPlatform().daemon().name('tcp-proxy-pump').start {
            try {
                a.inputStream.transferTo(b.outputStream)
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
