package io.stoker.server.container;

import io.stoker.container.ContainerEngine;
import io.stoker.container.ContainerExecutor;
import io.stoker.container.ContainerSettings;
import io.stoker.engine.exec.local.LocalExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * The server's container executor: the engine found at start ({@code STOKER_CONTAINER_ENGINE} names its binary;
 * otherwise podman, then docker, on PATH), its containers owned by this data directory, and what an earlier
 * process of the same data directory left removed before any run.
 */
public final class ContainerWiring {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerWiring.class);
    /** The engine's binary, when it is not podman or docker on PATH (or to turn containers off: a missing path). */
    public static final String ENGINE_ENV = "STOKER_CONTAINER_ENGINE";

    private ContainerWiring() {
    }

    public static ContainerExecutor executor(LocalExecutor local, Path data, Map<String, String> env) {
        String explicit = env.get(ENGINE_ENV);
        var engine = ContainerEngine.find(explicit == null || explicit.isBlank() ? null : Path.of(explicit));
        var executor = new ContainerExecutor(local, local, engine, ContainerSettings.defaults().withOwner(owner(data)));
        try {
            int reaped = executor.reapLeftovers();
            if (reaped > 0) LOG.info("containers: removed {} left by an earlier process", reaped);
        } catch (IOException e) {
            LOG.warn("containers: cannot remove leftovers: {}", e.getMessage());
        }
        return executor;
    }

    /** "podman 4.3.1", or "none". */
    public static String describe(ContainerExecutor executor) {
        return executor.engine().map(ContainerEngine::describe).orElse("none");
    }

    /** One owner label per data directory: two servers on one host never remove each other's containers. */
    private static String owner(Path data) {
        String dir = data.toAbsolutePath().normalize().toString();
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(dir.getBytes(StandardCharsets.UTF_8));
            return "server-" + HexFormat.of().formatHex(sha, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
