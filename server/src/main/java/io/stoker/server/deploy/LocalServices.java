package io.stoker.server.deploy;

import io.stoker.engine.deploy.ProcessIdentity;
import io.stoker.engine.files.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The services deployed to this machine: each target directory {@code <root>/<project>/<target>} holds the PID of
 * the service its last deployment started ({@code service.pid}, the leader of its own process group) and, on its
 * second line, that process's {@link ProcessIdentity}. The server owns them: on shutdown each is stopped (TERM to it
 * and its descendants, KILL after a grace), as systemd would do with the processes of a stopping unit anyway.
 * A PID is stopped only while its process has the identity recorded with it: after a reboot or a long uptime the
 * PID may be another program's, and killing a stranger is worse than leaving an old service running. So a file
 * naming a process whose identity differs or cannot be read, or without that line (an older Stoker wrote it) unless
 * its process works in one of the target's releases (where the deployment started it), is left alone with one INFO
 * line saying why. Only the file of a service stopped here is removed: in a cluster the data directory is shared,
 * and a file naming no process of this machine may be another machine's service (the next deployment of the
 * target, wherever it runs, reads it again).
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

    /**
     * Stops the services of a deleted project and removes its targets' directories (their releases): nothing is left
     * to deploy there again or to roll back to. A directory still holding a PID file it did not stop (another
     * machine's service in a cluster, a PID given to another program) is left as it is, with that file.
     */
    void removeProject(String project) {
        Path dir = root.resolve(project);
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.find(dir, 2, (p, a) -> p.getFileName().toString().equals(PID_FILE)
                && a.isRegularFile())) {
            files.toList().forEach(LocalServices::stop);
        } catch (IOException e) {
            LOG.warn("cannot look for the services of deleted project {} under {}: {}", project, dir, e.toString());
            return;
        }
        try (Stream<Path> targets = Files.list(dir)) {
            for (Path target : targets.toList()) {
                if (Files.exists(target.resolve(PID_FILE))) {
                    LOG.info("project {} deleted; {} is kept: its service was not stopped here", project, target);
                } else {
                    FileTrees.deleteQuietly(target);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.info("project {} deleted; some of {} is kept: {}", project, dir, e.toString());
        }
    }

    private static void stop(Path pidFile) {
        long pid;
        String recorded;
        try {
            List<String> lines = Files.readAllLines(pidFile);
            pid = Long.parseLong(lines.isEmpty() ? "" : lines.getFirst().trim());
            recorded = lines.size() < 2 ? "" : lines.get(1).trim();
        } catch (IOException | NumberFormatException e) {
            return;
        }
        // the handle keeps the start time it saw: destroying it never reaches a process that took the PID since
        ProcessHandle.of(pid).ifPresent(leader -> {
            if (recorded.isEmpty()) {
                // an older Stoker wrote the PID alone: its service still works where it was started, in a release
                if (worksInReleases(pid, pidFile.getParent())) {
                    stopTree(leader, pidFile);
                } else {
                    LOG.info("not stopping process {} named in {}: the file does not say when the service started (an"
                            + " older Stoker wrote it) and the process does not work in the target's releases, so the"
                            + " PID may be another program's now", pid, pidFile);
                }
                return;
            }
            Optional<String> now = ProcessIdentity.of(pid);
            if (now.isEmpty()) {
                LOG.info("not stopping process {} named in {}: when it started cannot be read, so it cannot be told"
                        + " from another program's process", pid, pidFile);
            } else if (!now.get().equals(recorded)) {
                LOG.info("not stopping process {} named in {}: it is not the service the deployment started (its PID"
                        + " was given to another process since)", pid, pidFile);
            } else {
                stopTree(leader, pidFile);
            }
        });
    }

    /** Whether process {@code pid} works in a release of the target directory {@code target} (Linux; else false). */
    private static boolean worksInReleases(long pid, Path target) {
        try {
            Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
            return cwd.startsWith(target.resolve("releases").toRealPath());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static void stopTree(ProcessHandle leader, Path pidFile) {
        List<ProcessHandle> all = Stream.concat(leader.descendants(), Stream.of(leader)).toList();
        LOG.info("stopping the service deployed in {} (process {})", pidFile.getParent(), leader.pid());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // the next deployment finds a PID of no process and moves on
        }
    }
}
