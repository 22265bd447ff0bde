package io.stoker.server.deploy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The services deployed to this machine: each target directory {@code <root>/<project>/<target>} holds the PID of
 * the service its last deployment started ({@code service.pid}, the leader of its own process group). The server
 * owns them: on shutdown each is stopped (TERM to it and its descendants, KILL after a grace), as systemd would do
 * with the processes of a stopping unit anyway.
 */
final class LocalServices {
    private static final Logger LOG = LoggerFactory.getLogger(LocalServices.class);
    static final String PID_FILE = "service.pid";
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final Path root;

    LocalServices(Path root) {
        this.root = root;
    }

    /** Stops every service a PID file names; bounded by the grace per service. */
    void stopAll() {
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> files = Files.find(root, 2 + 1, (p, a) -> p.getFileName().toString().equals(PID_FILE)
                && a.isRegularFile())) {
            files.toList().forEach(LocalServices::stop);
        } catch (IOException e) {
            LOG.warn("cannot look for deployed services under {}: {}", root, e.toString());
        }
    }

    private static void stop(Path pidFile) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(leader -> {
            List<ProcessHandle> all = Stream.concat(leader.descendants(), Stream.of(leader)).toList();
            LOG.info("stopping the service deployed in {} (process {})", pidFile.getParent(), pid);
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle p : all) {
                try {
                    p.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            }
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // the next deployment finds a PID of no process and moves on
        }
    }
}
