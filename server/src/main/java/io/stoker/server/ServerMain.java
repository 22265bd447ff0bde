package io.stoker.server;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the server without the CLI ({@code java -cp … io.stoker.server.ServerMain [config.properties]}), configured
 * by the file and {@code STOKER_*} environment variables; {@code stoker server} is the usual way.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        StokerServer server = StokerServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // ending anyway
            }
            stopped.countDown();
        }));
        System.out.println("stoker server " + StokerServer.version() + " listening on " + server.url());
        System.out.flush();
        stopped.await();
    }
}
