package io.stoker.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container engine found on this host: its command-line binary and version. Podman is preferred (daemonless);
 * Docker is used when it is the only engine and its daemon answers.
 *
 * @param kind    which engine
 * @param binary  its command-line program
 * @param version its client version as it reports it
 * @param env     variables it needs from this process (its configuration, runtime directories)
 */
public record ContainerEngine(Kind kind, Path binary, String version, Map<String, String> env) {

    /** Variables passed through to the engine's command line when set (never the tasks' own). */
    static final List<String> ENGINE_ENV = List.of("PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "LANG",
            "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF",
            "CONTAINERS_REGISTRIES_CONF", "REGISTRY_AUTH_FILE", "DOCKER_HOST", "DOCKER_CONFIG");

    /** The one sentence a task with an image gets on a host without an engine. */
    public static final String MISSING = "this task runs in an image but no container engine was found on the server:"
            + " install Podman (Debian/Ubuntu: apt-get install podman) or Docker";

    public ContainerEngine {
        env = Map.copyOf(env);
    }

    /** Podman or Docker. */
    public enum Kind {
        PODMAN("podman"), DOCKER("docker");

        private final String command;

        Kind(String command) {
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    /** The same engine run with one more variable (a test's {@code CONTAINERS_CONF}). */
    public ContainerEngine withEnv(String name, String value) {
        var more = new java.util.LinkedHashMap<>(env);
        more.put(name, value);
        return new ContainerEngine(kind, binary, version, more);
    }

    /** "podman 4.3.1" for the server's start output and {@code /api/v1/version}. */
    public String describe() {
        return kind.command + " " + version;
    }

    /**
     * Finds the engine: {@code explicit} when given (and nothing else), otherwise {@code podman} then {@code docker}
     * on {@code PATH}. Empty when none answers {@code version}.
     */
    public static Optional<ContainerEngine> find(Path explicit) {
        Map<String, String> env = engineEnvironment();
        List<Path> candidates = new ArrayList<>();
        if (explicit != null) {
            candidates.add(explicit);
        } else {
            for (Kind k : Kind.values()) onPath(k.command, env.get("PATH")).ifPresent(candidates::add);
        }
        for (Path binary : candidates) {
            if (!Files.isExecutable(binary)) continue;
            Kind kind = binary.getFileName().toString().contains("docker") ? Kind.DOCKER : Kind.PODMAN;
            // docker's client answers only when its daemon does; podman needs none
            var probe = new ContainerEngine(kind, binary, "", env);
            try {
                EngineCli.Result r = new EngineCli(probe).run(Duration.ofSeconds(30),
                        "version", "--format", kind == Kind.DOCKER ? "{{.Server.Version}}" : "{{.Client.Version}}");
                if (r.ok() && !r.output().isBlank()) return Optional.of(new ContainerEngine(kind, binary, r.output().strip(), env));
            } catch (IOException e) {
                // not runnable: try the next
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> onPath(String command, String path) {
        if (path == null) return Optional.empty();
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    static Map<String, String> engineEnvironment() {
        var env = new java.util.LinkedHashMap<String, String>();
        for (String name : ENGINE_ENV) {
            String v = System.getenv(name);
            if (v != null) env.put(name, v);
        }
        return env;
    }
}
