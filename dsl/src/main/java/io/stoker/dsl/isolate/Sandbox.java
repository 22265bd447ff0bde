package io.stoker.dsl.isolate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OS-level wrapper around a worker JVM: bubblewrap (no network, read-only filesystem, an empty {@code /tmp}),
 * else {@code unshare} with user and network namespaces (no network), else none. Chosen once by compiling a real
 * Jobfile through each in turn, since namespaces may be disabled and a wrapper that starts {@code true} may still
 * hide what the worker needs; the log says why a stronger one was passed over.
 *
 * @param kind   bwrap, unshare or none
 * @param prefix the command words put before {@code java …}
 */
public record Sandbox(String kind, List<String> prefix) {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    public static final Sandbox NONE = new Sandbox("none", List.of());

    public Sandbox {
        prefix = List.copyOf(prefix);
    }

    /** Whether the worker runs without network. */
    public boolean isolatesNetwork() {
        return !prefix.isEmpty();
    }

    /** Wraps a command line. */
    List<String> wrap(List<String> command) {
        return wrap(command, List.of());
    }

    /**
     * Wraps a command line that must be able to read {@code needed} (the worker's class path and JDK): those that the
     * wrapper's root does not show (bubblewrap's root holds only the system's programs and libraries; its empty
     * {@code /tmp} hid a checkout under /tmp) are bound read-only into it where they are.
     */
    List<String> wrap(List<String> command, List<Path> needed) {
        var all = new ArrayList<>(prefix);
        int end = all.lastIndexOf("--");
        if (kind.equals("bwrap") && end >= 0) {
            var binds = new ArrayList<String>();
            for (Path p : needed) {
                String path = p.toAbsolutePath().normalize().toString();
                if (!shown(path)) binds.addAll(List.of("--ro-bind-try", path, path));
            }
            all.addAll(end, binds);
        }
        all.addAll(command);
        return all;
    }

    /** Whether a path lies under a directory the wrapper binds in ({@code --ro-bind[-try] SRC DIR}) and no fresh mount hides it. */
    private boolean shown(String path) {
        if (hidden(path)) return false;
        for (int i = 0; i + 2 < prefix.size(); i++) {
            if (!prefix.get(i).equals("--ro-bind") && !prefix.get(i).equals("--ro-bind-try")) continue;
            String dir = prefix.get(i + 2);
            if (path.equals(dir) || path.startsWith(dir.endsWith("/") ? dir : dir + "/")) return true;
        }
        return false;
    }

    /** Whether a path lies under one of the wrapper's fresh mounts ({@code --tmpfs DIR}), so it is not visible. */
    private boolean hidden(String path) {
        for (int i = 0; i + 1 < prefix.size(); i++) {
            if (!prefix.get(i).equals("--tmpfs")) continue;
            String dir = prefix.get(i + 1);
            if (path.equals(dir) || path.startsWith(dir.endsWith("/") ? dir : dir + "/")) return true;
        }
        return false;
    }

    /** The strongest wrapper that compiles a Jobfile on this machine, probed on first use and remembered. */
    public static Sandbox detected() {
        return Detected.SANDBOX;
    }

    /**
     * Starts the probe on a thread of its own unless it ran already, so that its worker JVM starts while the caller
     * does other things (a server opens its database meanwhile); {@link #detected()} waits for it.
     */
    public static void probeAhead() {
        Thread.ofPlatform().daemon().name("jobfile-sandbox-probe").start(() -> {
            try {
                detected();
            } catch (Throwable e) {
                // detected() reports the same failure to the caller that needs the sandbox
            }
        });
    }

    /** Initialised once, on first use (the class-holder idiom), so the probe runs once per JVM. */
    private static final class Detected {
        static final Sandbox SANDBOX = probe();
    }

    /** The bubblewrap wrapper, if bwrap is installed (whether it works here is not checked). */
    public static Optional<Sandbox> bubblewrap() {
        var bwrap = executable("bwrap");
        var env = executable("env");
        if (bwrap == null || env == null) return Optional.empty();
        // bwrap sets PWD after it changes directory (--unsetenv comes too early): env takes it out again, so the
        // worker's environment stays empty
        // not the whole of /: the worker sees the system's programs and libraries, and its own class path and JDK
        // (bound in by wrap), never the server's data directory or home. Binding / also failed outright while a
        // container ran: bubblewrap remounts every mount under it read-only, and a Podman overlay refuses that
        return Optional.of(new Sandbox("bwrap", List.of(bwrap, "--ro-bind", "/usr", "/usr", "--ro-bind-try", "/lib", "/lib",
                "--ro-bind-try", "/lib64", "/lib64", "--ro-bind-try", "/bin", "/bin", "--dev", "/dev", "--proc", "/proc",
                "--tmpfs", "/tmp", "--unshare-all", "--die-with-parent", "--new-session", "--", env, "-u", "PWD")));
    }

    /** The unshare wrapper, if unshare is installed (whether namespaces work here is not checked). */
    public static Optional<Sandbox> unshare() {
        var unshare = executable("unshare");
        if (unshare == null) return Optional.empty();
        return Optional.of(new Sandbox("unshare", List.of(unshare, "--user", "--map-root-user", "--net", "--")));
    }

    /**
     * Probes now: the strongest wrapper in which a worker with this JVM's java and class path compiles a small
     * Jobfile. A wrapper that fails is logged with the worker's stderr; if even no wrapper compiles, the error says
     * that every Jobfile will be rejected, and why.
     */
    public static Sandbox probe() {
        var candidates = new ArrayList<Sandbox>();
        bubblewrap().ifPresent(candidates::add);
        unshare().ifPresent(candidates::add);
        for (Sandbox candidate : candidates) {
            Optional<String> problem = SelfCheck.run(WorkerSettings.defaultsWith(candidate));
            if (problem.isEmpty()) {
                LOG.info("Jobfile sandbox: {}", candidate.kind());
                return candidate;
            }
            LOG.warn("Jobfile sandbox: {} does not work here, trying a weaker one: {}", candidate.kind(), problem.get());
        }
        Optional<String> problem = SelfCheck.run(WorkerSettings.defaultsWith(NONE));
        if (problem.isPresent()) {
            LOG.error("Jobfile worker JVMs cannot compile a Jobfile even without a sandbox, so every Jobfile will be "
                    + "rejected: {}", problem.get());
        } else {
            LOG.warn("Jobfile sandbox: none (neither bwrap nor unshare works here); Jobfile workers have network access");
        }
        return NONE;
    }

    static String executable(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin")) {
            Path path = Path.of(dir, name);
            if (Files.isExecutable(path)) return path.toString();
        }
        return null;
    }
}
