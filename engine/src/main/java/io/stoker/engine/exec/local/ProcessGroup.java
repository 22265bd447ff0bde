package io.stoker.engine.exec.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A task's process group on this machine, named by its leader's PID. The kernel keeps a group's ID reserved while any
 * member lives, even after the leader ended, so killing the group by that ID reaches its members only; it is killed
 * only while {@code /proc} shows a member, so an ID free again is not signalled.
 */
final class ProcessGroup {
    private static final Path PROC = ProcStat.PROC;

    private ProcessGroup() {
    }

    /** SIGKILL to every process of group {@code pgid} (atomically, with {@code kill}); none is waited for. */
    static void kill(long pgid) {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (kill.waitFor(5, TimeUnit.SECONDS)) return;
        } catch (IOException e) {
            // no kill binary: one by one below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        members(pgid).forEach(ProcessHandle::destroyForcibly);
    }

    /** Kills what is left of group {@code pgid} when {@code /proc} shows a live member of it (its leader ended). */
    static void killRemains(long pgid) {
        if (!members(pgid).isEmpty()) kill(pgid);
    }

    /** The live members of group {@code pgid} other than this process; none where there is no {@code /proc}. */
    static List<ProcessHandle> members(long pgid) {
        List<ProcessHandle> members = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid == self) continue;
                ProcStat.read(PROC, pid).filter(s -> s.group() == pgid && !s.ended())
                        .flatMap(s -> ProcessHandle.of(pid)).ifPresent(members::add);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing found
        }
        return members;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
        return true;
    }
}
