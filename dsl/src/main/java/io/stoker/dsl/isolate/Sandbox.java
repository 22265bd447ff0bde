package io.stoker.dsl.isolate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OS-level wrapper around a worker JVM: bubblewrap (no network, read-only filesystem), else {@code unshare} with
 * user and network namespaces (no network), else none. Chosen by probing once, since namespaces may be disabled.
 *
 * @param kind   bwrap, unshare or none
 * @param prefix the command words put before {@code java …}
 */
public record Sandbox(String kind, List<String> prefix) {
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
        var all = new ArrayList<>(prefix);
        all.addAll(command);
        return all;
    }

    /** The strongest wrapper that works on this machine, probed on first use and remembered. */
    public static Sandbox detected() {
        return Detected.SANDBOX;
    }

    /** Initialised once, on first use (the class-holder idiom), so the probe runs once per JVM. */
    private static final class Detected {
        static final Sandbox SANDBOX = probe();
    }

    /** Probes now: the strongest wrapper that works on this machine. */
    public static Sandbox probe() {
        var bwrap = executable("bwrap");
        if (bwrap != null) {
            var candidate = new Sandbox("bwrap", List.of(bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                    "--tmpfs", "/tmp", "--unshare-all", "--die-with-parent", "--new-session", "--"));
            if (works(candidate)) return candidate;
        }
        var unshare = executable("unshare");
        if (unshare != null) {
            var candidate = new Sandbox("unshare", List.of(unshare, "--user", "--map-root-user", "--net", "--"));
            if (works(candidate)) return candidate;
        }
        return NONE;
    }

    private static boolean works(Sandbox candidate) {
        String tru = executable("true");
        if (tru == null) return false;
        try {
            var process = new ProcessBuilder(candidate.wrap(List.of(tru))).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String executable(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin")) {
            Path path = Path.of(dir, name);
            if (Files.isExecutable(path)) return path.toString();
        }
        return null;
    }
}
