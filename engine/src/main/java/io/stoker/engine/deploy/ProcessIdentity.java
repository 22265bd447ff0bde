package io.stoker.engine.deploy;

import io.stoker.engine.exec.local.ProcStat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What tells a process from a later one given the same PID (after a reboot, or once PIDs wrap): the second line of
 * {@code service.pid}, so that a deployment, or the server at shutdown, stops the service it recorded and never a
 * stranger that has its PID now. On Linux the boot's ID and the process's start in clock ticks since boot
 * ({@code /proc/PID/stat} field 22); where there is no {@code /proc} (macOS, BSD) the start {@code ps} tells, to
 * the second. The deployment script computes it with {@link #SHELL}, the server with {@link #of}: both halves of the
 * format live here and must agree character for character.
 */
public final class ProcessIdentity {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /**
     * POSIX sh functions {@code identity PID} (prints it, or fails when the process is gone or unreadable) and
     * {@code ps_identity PID} (the fallback without /proc).
     */
    static final String SHELL = """
            # what tells a process from a later one given the same PID: see ProcessIdentity
            ps_identity() {
              s=$(LC_ALL=C ps -o lstart= -p "$1" 2>/dev/null) && [ -n "$s" ] || return 1
              set -f; set -- $s; set +f
              echo "started $*"
            }
            identity() {
              [ -r /proc/sys/kernel/random/boot_id ] || { ps_identity "$1"; return; }
              boot=$(cat /proc/sys/kernel/random/boot_id) && s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
              # the command's name (field 2) may hold spaces and ')': the fields from 3 on follow its last ') '
              s=${s##*') '}
              start=$(printf '%s\\n' "$s" | cut -d' ' -f20)
              [ -n "$start" ] && echo "boot $boot start $start"
            }
            """;

    private ProcessIdentity() {
    }

    /** The identity of process {@code pid} as {@link #SHELL} prints it on this machine; empty when it is gone. */
    public static Optional<String> of(long pid) {
        return Files.isReadable(BOOT_ID) ? fromProc(pid) : fromPs(pid);
    }

    static Optional<String> fromProc(long pid) {
        try {
            String boot = Files.readString(BOOT_ID).trim();
            return ProcStat.read(pid).map(p -> "boot " + boot + " start " + p.startTicks());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<String> fromPs(long pid) {
        var ps = new ProcessBuilder("ps", "-o", "lstart=", "-p", Long.toString(pid))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        ps.environment().put("LC_ALL", "C");
        try {
            Process p = ps.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() != 0 || out.isEmpty() ? Optional.empty()
                    : Optional.of("started " + String.join(" ", out.split("\\s+")));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
