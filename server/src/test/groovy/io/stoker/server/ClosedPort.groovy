package io.stoker.server

/**
 * A loopback port that refuses connections for as long as this is open: the port is bound (so no other process on
 * the machine can take it and answer) but never listened on. Finding a free port and closing it, instead, leaves a
 * window in which another spec or build may start listening there.
 */
class ClosedPort implements Closeable {
    private final Socket socket = new Socket()
    final int port

    ClosedPort() {
        socket.bind(new InetSocketAddress(InetAddress.loopbackAddress, 0))
        port = socket.localPort
    }

    @Override
    void close() {
        socket.close()
    }
}
