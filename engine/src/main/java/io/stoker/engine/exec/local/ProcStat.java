package io.stoker.engine.exec.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code /proc/PID/stat} says of a process on this machine: the fields Stoker reads, in one place (the command's
 * name may hold spaces and parentheses, so the fields are read after its last {@code ") "}).
 *
 * @param state      field 3: {@code R}, {@code S}, {@code Z} (zombie), {@code X} (dead) …
 * @param group      field 5: its process group
 * @param startTicks field 22: its start in clock ticks since boot, which tells it from a later process of its PID
 * @param flags      field 9: the kernel's flags of the process ({@code PF_KTHREAD} marks a kernel thread)
 * @param envStart   field 50: where its environment starts in its memory; 0 while {@code exec} swaps its program in
 *                   (the new program's memory has no environment yet), -1 where the kernel does not tell (before 3.5)
 */
public record ProcStat(String state, long group, String startTicks, long flags, long envStart) {
    private static final long PF_KTHREAD = 0x00200000L;
    private static final int ENV_START = 47; // field 50, counted from the third

    public static final Path PROC = Path.of("/proc");

    /** Process {@code pid} as {@code proc} shows it; empty when it is gone or the file cannot be read. */
    public static Optional<ProcStat> read(Path proc, long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
            int name = stat.lastIndexOf(") ");
            if (name < 0) return Optional.empty();
            String[] fields = stat.substring(name + 2).split(" "); // from the third field on
            if (fields.length < 20) return Optional.empty();
            long envStart = fields.length > ENV_START ? Long.parseLong(fields[ENV_START]) : -1;
            return Optional.of(new ProcStat(fields[0], Long.parseLong(fields[2]), fields[19], Long.parseLong(fields[6]),
                    envStart));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone meanwhile, or another user's process
        }
    }

    /** Process {@code pid} on this machine. */
    public static Optional<ProcStat> read(long pid) {
        return read(PROC, pid);
    }

    /** Ended, with only its entry left for its parent to collect (a zombie), or being removed. */
    public boolean ended() {
        return state.equals("Z") || state.equals("X");
    }

    /**
     * In the middle of an {@code exec}: a live program whose environment is not in place yet, so it reads as empty for
     * now. One started with an empty environment ({@code env -i}, a sandbox that clears it) has one in place, empty.
     * Where the kernel does not tell, any live program may be.
     */
    public boolean swappingProgram() {
        return !ended() && !kernelThread() && envStart <= 0;
    }

    /** A thread of the kernel's own: it has no program, no environment, nothing of a task. */
    public boolean kernelThread() {
        return (flags & PF_KTHREAD) != 0;
    }
}
