package io.stoker.server;

import java.nio.file.Path;

/**
 * Starts the server without the CLI ({@code java -cp … io.stoker.server.ServerMain [config.properties]}), configured
 * by the file and {@code STOKER_*} environment variables; {@code stoker server} is the usual way.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        StokerServer server = StokerServer.start(config).closeOnShutdown();
        System.out.println(server.banner());
        System.out.flush();
        server.releaseStartupMemory().awaitClosed();
    }
}
