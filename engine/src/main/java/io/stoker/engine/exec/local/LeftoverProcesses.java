package io.stoker.engine.exec.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The processes of task attempts that an earlier process of an executor started and never ended (it was killed or
 * crashed): without this they ran on, unseen, after their run was marked failed. Each is found by the
 * {@code STOKER_OUTPUT} its environment carries: a file in an attempt directory under the executor's scratch that
 * still exists. An attempt that ended removed its directory, so what a finished task left running on purpose (a
 * service a deployment started) is not among them. Read from {@code /proc}: Linux only, and this user's processes
 * only (another user's environment cannot be read).
 *
 * <p>The same mark finds the processes of one attempt that ended or is being stopped (a cancel, a timeout, a server
 * stop): one that left the task's process group ({@code setsid cmd &}, a daemon) is out of reach of the group kill.
 */
final class LeftoverProcesses {
    private static final Path PROC = Path.of("/proc");
    private static final byte[] VARIABLE = "STOKER_OUTPUT=".getBytes(StandardCharsets.UTF_8);
    /** How long a program caught in its {@code exec} is waited for: one starved of CPU on a loaded machine too. */
    private static final long SETTLE_LIMIT_NANOS = 5_000_000_000L;
    private static final long SETTLE_PAUSE_NANOS = 2_000_000L;

    private LeftoverProcesses() {
    }

    /** Kills (SIGKILL) the processes of attempts left under {@code scratch}; returns how many it found. */
    static int stop(Path scratch) {
        List<ProcessHandle> left = under(scratch.toAbsolutePath().normalize());
        left.forEach(ProcessHandle::destroyForcibly);
        return left.size();
    }

    static List<ProcessHandle> under(Path scratch) {
        return matching(output -> output.startsWith(scratch) && Files.isDirectory(output.getParent()));
    }

    /**
     * The live processes whose {@code STOKER_OUTPUT} is {@code output}: those of one attempt, wherever they went. The
     * executor gives it as an absolute path, one per attempt ({@code SCRATCH/RUN/TASK/attempt-N/output}); a relative
     * one, which a process elsewhere may carry for another attempt, is never taken for it.
     */
    static List<ProcessHandle> carrying(Path output) {
        return carrying(output, 0);
    }

    /**
     * As {@link #carrying(Path)}, for an attempt whose first process is {@code leader}: what it started was given a
     * PID after it, so only the environments of later PIDs are read (a task's end then reads a handful, not every
     * process of the machine). Once the kernel's PIDs have wrapped past the leader's, every process is read.
     */
    static List<ProcessHandle> carrying(Path output, long leader) {
        Path file = output.toAbsolutePath().normalize();
        long from = leader > 0 && lastPid() >= leader ? leader : 0;
        return matching(file::equals, from);
    }

    /** The PID the kernel handed out last (the last field of {@code /proc/loadavg}); 0 when it cannot be read. */
    private static long lastPid() {
        try {
            String[] fields = Files.readString(PROC.resolve("loadavg")).trim().split("\\s+");
            return Long.parseLong(fields[fields.length - 1]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static List<ProcessHandle> matching(java.util.function.Predicate<Path> outputs) {
        return matching(outputs, 0);
    }

    /** Processes from PID {@code from} on (0: all) whose {@code STOKER_OUTPUT} {@code outputs} accepts. */
    private static List<ProcessHandle> matching(java.util.function.Predicate<Path> outputs, long from) {
        List<ProcessHandle> out = new ArrayList<>();
        if (!Files.isDirectory(PROC)) return out;
        long self = ProcessHandle.current().pid();
        List<Long> swapping = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid == self || pid < from) continue;
                byte[] env = environOf(pid);
                if (env == null) continue;
                if (env.length == 0) {
                    if (maySwapProgram(pid)) swapping.add(pid);
                    continue;
                }
                if (carries(env, outputs)) ProcessHandle.of(pid).ifPresent(out::add);
            }
        } catch (IOException e) {
            // no /proc to list: nothing can be found
        }
        settle(swapping, outputs, out);
        return out;
    }

    /**
     * Reads again the processes whose environment read as empty because the kernel was swapping their program in
     * ({@code exec}: a task's {@code exec sleep 300} at the very instant of a sweep), until their new program has its
     * environment. That takes microseconds, but a process starved of CPU on a loaded machine may stay in it for many
     * milliseconds: the wait is bounded by time, not by a count of rounds. A process whose environment is empty by
     * design (a sandboxed compiler) is not waited for: its stat tells it apart.
     */
    private static void settle(List<Long> swapping, java.util.function.Predicate<Path> outputs, List<ProcessHandle> out) {
        long deadline = System.nanoTime() + SETTLE_LIMIT_NANOS;
        while (!swapping.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(SETTLE_PAUSE_NANOS);
            for (var pids = swapping.iterator(); pids.hasNext(); ) {
                long pid = pids.next();
                byte[] env = environOf(pid);
                if (env == null) {
                    pids.remove();
                } else if (env.length > 0) {
                    pids.remove();
                    if (carries(env, outputs)) ProcessHandle.of(pid).ifPresent(out::add);
                } else if (!maySwapProgram(pid)) {
                    pids.remove(); // ended meanwhile, or its program is in place with an empty environment
                }
            }
        }
    }

    /** A live program (not a kernel thread, not a zombie) whose environment is not in place yet: in its exec. */
    private static boolean maySwapProgram(long pid) {
        return ProcStat.read(PROC, pid).map(ProcStat::swappingProgram).orElse(false);
    }

    /** The raw environment of a process; null when it is gone or another user's. */
    private static byte[] environOf(long pid) {
        try {
            return Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean carries(byte[] env, java.util.function.Predicate<Path> outputs) {
        Path output = outputOf(env);
        return output != null && outputs.test(output);
    }

    /** The {@code STOKER_OUTPUT} of an environment; null without one. */
    private static Path outputOf(byte[] env) {
        for (int start = 0; start < env.length; ) {
            int end = start;
            while (end < env.length && env[end] != 0) end++;
            if (startsWith(env, start, end)) {
                try {
                    return Path.of(new String(env, start + VARIABLE.length, end - start - VARIABLE.length,
                            StandardCharsets.UTF_8)).normalize();
                } catch (InvalidPathException e) {
                    return null;
                }
            }
            start = end + 1;
        }
        return null;
    }

    private static boolean startsWith(byte[] env, int start, int end) {
        if (end - start < VARIABLE.length) return false;
        for (int i = 0; i < VARIABLE.length; i++) if (env[start + i] != VARIABLE[i]) return false;
        return true;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
        return true;
    }
}
