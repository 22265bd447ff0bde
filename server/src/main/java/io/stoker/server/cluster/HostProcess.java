package io.stoker.server.cluster;

import io.stoker.engine.exec.local.ProcStat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's process as this machine knows it: its PID namespace (with the boot's ID: the same machine, booted once)
 * and its PID with the process's start in clock ticks since boot, so that a later process given the same PID is not
 * taken for it. Read from {@code /proc}; where there is none a server has no such mark and its peers wait for its
 * lease as before.
 *
 * @param namespace {@code pid:[N] boot B} (as the link {@code /proc/self/ns/pid} names it, and the boot):
 *                  PIDs of two marks compare only when this is equal
 * @param pid       the process's PID in that namespace
 * @param start     field 22 of {@code /proc/PID/stat}
 */
public record HostProcess(String namespace, long pid, String start) {
    private static final Path PROC = ProcStat.PROC;
    private static final Pattern STORED = Pattern.compile("(pid:\\[\\d+] boot [0-9a-f-]+) pid (\\d+) start (\\d+)");

    /** This JVM's mark; empty without {@code /proc}. */
    public static Optional<HostProcess> current() {
        return current(PROC);
    }

    static Optional<HostProcess> current(Path proc) {
        long pid = ProcessHandle.current().pid();
        return namespace(proc).flatMap(ns -> startOf(proc, pid).map(start -> new HostProcess(ns, pid, start)));
    }

    /** The form kept in {@code servers.process}. */
    public String stored() {
        return namespace + " pid " + pid + " start " + start;
    }

    /** A stored mark; empty for none or one this version does not read. */
    public static Optional<HostProcess> parse(String stored) {
        if (stored == null) return Optional.empty();
        Matcher m = STORED.matcher(stored);
        return m.matches() ? Optional.of(new HostProcess(m.group(1), Long.parseLong(m.group(2)), m.group(3)))
                : Optional.empty();
    }

    /**
     * True when this mark is of a process that this machine, in {@code here}'s PID namespace, shows no longer runs:
     * its PID is free, a zombie, or another process's. False for a process of another machine or namespace (nothing
     * here can tell), and for one that lives.
     */
    public boolean goneAsSeenFrom(HostProcess here) {
        return goneAsSeenFrom(here, PROC);
    }

    boolean goneAsSeenFrom(HostProcess here, Path proc) {
        if (!namespace.equals(here.namespace)) return false;
        return startOf(proc, pid).map(s -> !s.equals(start)).orElse(true);
    }

    private static Optional<String> namespace(Path proc) {
        try {
            String pidns = Files.readSymbolicLink(proc.resolve("self/ns/pid")).toString();
            String boot = Files.readString(proc.resolve("sys/kernel/random/boot_id")).trim();
            return Optional.of(pidns + " boot " + boot);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** The start of a living process {@code pid}; empty when there is none, or only its zombie. */
    private static Optional<String> startOf(Path proc, long pid) {
        return ProcStat.read(proc, pid).filter(p -> !p.ended()).map(ProcStat::startTicks);
    }
}
