package io.stoker.server.container;

import io.stoker.container.ContainerEngine;
import io.stoker.container.ContainerExecutor;
import io.stoker.container.ContainerImageSteps;
import io.stoker.container.ImageFilesystem;
import io.stoker.engine.image.ImageSteps;
import io.stoker.container.ContainerSettings;
import io.stoker.engine.exec.local.LocalExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The server's container executor: the engine found at start ({@code STOKER_CONTAINER_ENGINE} names its binary;
 * otherwise podman, then docker, on PATH), its containers owned by this data directory, and what an earlier
 * process of the same data directory left removed before any run; and the port that runs image steps.
 */
public final class ContainerWiring {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerWiring.class);
    /** The engine's binary, when it is not podman or docker on PATH (or to turn containers off: a missing path). */
    public static final String ENGINE_ENV = "STOKER_CONTAINER_ENGINE";
    private static final String CONTAINERS_CONF = "CONTAINERS_CONF";
    /** Registry hosts ({@code host} or {@code host:port}, comma-separated) reached over plain HTTP besides loopback. */
    public static final String INSECURE_ENV = "STOKER_INSECURE_REGISTRIES";
    /** How long one image build or push may take, unless the task's own time limit ends it first. */
    private static final Duration IMAGE_STEP_LIMIT = Duration.ofHours(1);

    private ContainerWiring() {
    }

    /**
     * @param clusterServer this server's id in a cluster (whose servers share the data directory, so each labels its
     *                      containers as its own), null for a server alone on its data directory
     */
    public static ContainerExecutor executor(LocalExecutor local, Path data, Map<String, String> env,
                                             String clusterServer) {
        String explicit = env.get(ENGINE_ENV);
        var engine = ContainerEngine.find(explicit == null || explicit.isBlank() ? null : Path.of(explicit))
                // the engine's configuration as this server was given it (a spec's, or ./stoker's default)
                .map(e -> env.containsKey(CONTAINERS_CONF) ? e.withEnv(CONTAINERS_CONF, env.get(CONTAINERS_CONF)) : e);
        var executor = new ContainerExecutor(local, local, engine, ContainerSettings.defaults().withOwner(owner(data, clusterServer))
                .withInsecureRegistries(insecureRegistries(env)));
        try {
            int reaped = executor.reapLeftovers();
            if (reaped > 0) LOG.info("containers: removed {} left by an earlier process", reaped);
        } catch (IOException e) {
            LOG.warn("containers: cannot remove leftovers: {}", e.getMessage());
        }
        return executor;
    }

    /**
     * The engine's image-step port: buildImage on the executor's engine, publishImage with Jib (its layer cache under
     * {@code DATA/cache/jib}).
     */
    public static ImageSteps images(ContainerExecutor executor, Path data, Map<String, String> env) {
        return images(executor.engine(), data, env);
    }

    /** The image-step port where no engine was looked for (a local run without buildImage): publishImage only. */
    public static ImageSteps images(Path data, Map<String, String> env) {
        return images(Optional.empty(), data, env);
    }

    private static ImageSteps images(Optional<ContainerEngine> engine, Path data, Map<String, String> env) {
        return new ContainerImageSteps(engine, insecureRegistries(env), data.resolve("cache").resolve("jib"),
                IMAGE_STEP_LIMIT);
    }

    private static Set<String> insecureRegistries(Map<String, String> env) {
        String listed = env.getOrDefault(INSECURE_ENV, "");
        return Arrays.stream(listed.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /** Exports an image's filesystem (a Build-Shuttle docker:// source) with the executor's engine; null without one. */
    public static ImageFilesystem imageFilesystem(ContainerExecutor executor) {
        return executor.engine().map(e -> new ImageFilesystem(e, executor.settings())).orElse(null);
    }

    /** "podman 4.3.1", or "none". */
    public static String describe(ContainerExecutor executor) {
        return executor.engine().map(ContainerEngine::describe).orElse("none");
    }

    /**
     * Removes the containers a server of this cluster that is gone left on this machine (its runs were taken over
     * or failed as lost); logged, never thrown.
     */
    public static void reapGone(ContainerExecutor executor, Path data, String goneServer) {
        try {
            int reaped = executor.reapLeftoversOf(owner(data, goneServer));
            if (reaped > 0) LOG.info("containers: removed {} left by server {}, which is gone", reaped, goneServer);
        } catch (IOException e) {
            LOG.warn("containers: cannot remove those left by server {}: {}", goneServer, e.getMessage());
        }
    }

    /**
     * One owner label per data directory, and per server in a cluster: two servers on one host never remove each
     * other's containers, and a lone server's next start removes what its last process left.
     */
    private static String owner(Path data, String clusterServer) {
        String dir = data.toAbsolutePath().normalize().toString();
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(dir.getBytes(StandardCharsets.UTF_8));
            String owner = "server-" + HexFormat.of().formatHex(sha, 0, 8);
            return clusterServer == null ? owner : owner + "-" + clusterServer;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
