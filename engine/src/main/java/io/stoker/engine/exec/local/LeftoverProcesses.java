package io.stoker.engine.exec.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of task attempts that an earlier process of an executor started and never ended (it was killed or
 * crashed): without this they ran on, unseen, after their run was marked failed. Each is found by the
 * {@code STOKER_OUTPUT} its environment carries: a file in an attempt directory under the executor's scratch that
 * still exists. An attempt that ended removed its directory, so what a finished task left running on purpose (a
 * service a deployment started) is not among them. Read from {@code /proc}: Linux only, and this user's processes
 * only (another user's environment cannot be read).
 *
 * <p>The same mark finds the processes of one attempt that is being stopped (a cancel, a timeout, a server stop):
 * one that left the task's process group ({@code setsid cmd &}, a daemon) is out of reach of the group kill.
 */
final class LeftoverProcesses {
    private static final Path PROC = Path.of("/proc");
    private static final byte[] VARIABLE = "STOKER_OUTPUT=".getBytes(StandardCharsets.UTF_8);

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

    /** The live processes whose {@code STOKER_OUTPUT} is {@code output}: those of one attempt, wherever they went. */
    static List<ProcessHandle> carrying(Path output) {
        Path given = output.normalize(); // as the task's environment has it (relative when the scratch path is)
        Path file = output.toAbsolutePath().normalize();
        return matching(p -> p.equals(given) || p.equals(file));
    }

    private static List<ProcessHandle> matching(java.util.function.Predicate<Path> outputs) {
        List<ProcessHandle> out = new ArrayList<>();
        if (!Files.isDirectory(PROC)) return out;
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid == self) continue;
                Path output = outputOf(entry);
                if (output != null && outputs.test(output)) {
                    ProcessHandle.of(pid).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            // no /proc to list: nothing can be found
        }
        return out;
    }

    /** The {@code STOKER_OUTPUT} of a process's environment; null without one, or when it cannot be read. */
    private static Path outputOf(Path procEntry) {
        byte[] env;
        try {
            env = Files.readAllBytes(procEntry.resolve("environ"));
        } catch (IOException e) {
            return null; // gone meanwhile, or another user's
        }
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
