package io.stoker.engine.exec.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops processes as Jenkins' ProcessTreeKiller does: SIGTERM first, so a daemon may clean up (its PID file, its
 * last log lines), then SIGKILL to whichever still runs after a bounded grace. A zombie counts as ended: it runs
 * nothing, its entry only waits for whoever inherited it to collect it.
 */
final class GracefulStop {
    /** How long a process has between SIGTERM and SIGKILL, as for an SSH agent's tasks. */
    static final Duration GRACE = Duration.ofSeconds(2);
    private static final long PAUSE_NANOS = 5_000_000L;

    private GracefulStop() {
    }

    /**
     * Sends SIGTERM to each of {@code processes}, waits up to {@code grace} for them to end, then SIGKILLs the rest;
     * returns those it could signal (not those gone already, nor another user's).
     */
    static List<ProcessHandle> stop(List<ProcessHandle> processes, Duration grace) {
        List<ProcessHandle> signalled = new ArrayList<>();
        for (ProcessHandle p : processes) if (p.destroy()) signalled.add(p);
        List<ProcessHandle> left = new ArrayList<>(signalled);
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            left.removeIf(p -> !running(p));
            if (left.isEmpty() || System.nanoTime() - deadline >= 0) break;
            LockSupport.parkNanos(PAUSE_NANOS);
        }
        left.forEach(ProcessHandle::destroyForcibly);
        return signalled;
    }

    /** Alive and not a zombie. */
    static boolean running(ProcessHandle p) {
        return p.isAlive() && ProcStat.read(p.pid()).map(s -> !s.ended()).orElse(false);
    }
}
