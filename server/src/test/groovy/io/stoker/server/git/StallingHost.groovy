package io.stoker.server.git

import java.util.concurrent.CopyOnWriteArrayList

/**
 * A git host's front on 127.0.0.1: it passes each connection on to the real host (a port on 127.0.0.1) until
 * {@link #stall}, and from then on accepts every connection and never sends a byte, as a hung server or a proxy
 * holding the line does. {@link #close} closes it and every connection it took, so fetches still waiting end at once.
 */
class StallingHost implements Closeable {
    private final ServerSocket socket
    private final int target
    private final List<Socket> held = new CopyOnWriteArrayList<>()
    private volatile boolean silent
    private final Thread acceptor

    private StallingHost(ServerSocket socket, int target) {
        this.socket = socket
        this.target = target
        this.acceptor = Thread.ofPlatform().daemon().name('stalling-host').start {
            while (!socket.closed) {
                Socket s
                try {
                    s = socket.accept()
                } catch (IOException ignored) {
                    return // closed
                }
                held << s
                if (!silent) forward(s)
            }
        }
    }

    /** A front passing connections to {@code targetPort} on 127.0.0.1 ({@code target < 0}: silent from the start). */
    static StallingHost start(int targetPort = -1) {
        def host = new StallingHost(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort)
        if (targetPort < 0) host.stall()
        host
    }

    /** The URL of {@code path} through this front. */
    String url(String path, String scheme = 'http') {
        "$scheme://127.0.0.1:${socket.localPort}/$path"
    }

    /** From now on every connection is accepted and left without an answer; those passed on so far are closed. */
    void stall() {
        silent = true
        held.each { it.close() } // a kept-alive connection would still reach the real host
        held.clear()
    }

    /** From now on connections are passed on to the real host again; those held silent so far stay silent. */
    void resume() {
        silent = false
    }

    private void forward(Socket client) {
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target)
        held << server
        [[client, server], [server, client]].each { pair ->
            Thread.ofPlatform().daemon().start {
                try {
                    pair[0].inputStream.transferTo(pair[1].outputStream)
                } catch (IOException ignored) {
                } finally {
                    try { pair[1].shutdownOutput() } catch (IOException ignored) {}
                }
            }
        }
    }

    @Override
    void close() {
        socket.close()
        held.each { it.close() }
        acceptor.join(5_000)
    }
}
