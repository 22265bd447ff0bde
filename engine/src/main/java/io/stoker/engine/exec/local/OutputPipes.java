package io.stoker.engine.exec.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The pipes a local task's stdout and stderr write into, and the processes still holding them. A background child
 * that left the task's process group ({@code setsid cmd &}, a daemon) is out of reach of the group kill; while it
 * holds the task's output open the server reads on, the task's log never ends (and a pipe reader never sees its
 * input end). Found through {@code /proc}; where there is none (not Linux) this knows no pipes and finds no one.
 */
final class OutputPipes {
    private static final Path PROC = ProcStat.PROC;
    private static final OutputPipes NONE = new OutputPipes(Set.of());

    /** Links as {@code /proc/PID/fd/N} shows them, {@code pipe:[INODE]}. */
    private final Set<String> pipes;

    private OutputPipes(Set<String> pipes) {
        this.pipes = pipes;
    }

    /**
     * Reads which pipes {@code pid}'s stdout and stderr are, right after it started (before its script ran long
     * enough to end). A process already gone, or no {@code /proc}, gives none.
     */
    static OutputPipes of(long pid) {
        Set<String> found = new java.util.HashSet<>();
        for (int fd = 1; fd <= 2; fd++) {
            try {
                String link = Files.readSymbolicLink(PROC.resolve(pid + "/fd/" + fd)).toString();
                if (link.startsWith("pipe:")) found.add(link);
            } catch (IOException | UnsupportedOperationException e) {
                // gone already, or no /proc: nothing known
            }
        }
        return found.isEmpty() ? NONE : new OutputPipes(Set.copyOf(found));
    }

    /** Whether the task's pipes were read: a task that ended before {@link #of} looked leaves none known. */
    boolean known() {
        return !pipes.isEmpty();
    }

    /**
     * The pipes this process holds open: the read ends of every task output it reads (a pipe's two ends are one
     * {@code pipe:[INODE]}), found when a task ended too soon for {@link #of} to see its own.
     */
    static OutputPipes ofThisProcess() {
        Set<String> found = new java.util.HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve("self/fd"))) {
            for (Path fd : fds) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("pipe:")) found.add(link);
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing known
        }
        return found.isEmpty() ? NONE : new OutputPipes(Set.copyOf(found));
    }

    /** Those of {@code candidates} that hold one of the pipes open. */
    List<ProcessHandle> holdersAmong(List<ProcessHandle> candidates) {
        if (pipes.isEmpty()) return List.of();
        return candidates.stream().filter(p -> holds(PROC.resolve(Long.toString(p.pid())))).toList();
    }

    /** The live processes, other than this one, that hold one of the pipes open. */
    List<ProcessHandle> holders() {
        if (pipes.isEmpty()) return List.of();
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> holders = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid != self && holds(proc)) ProcessHandle.of(pid).ifPresent(holders::add);
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: nothing found, the caller's bounded wait still applies
        }
        return holders;
    }

    private boolean holds(Path proc) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (pipes.contains(Files.readSymbolicLink(fd).toString())) return true;
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            // another user's process, or one that ended: not ours to look at
        }
        return false;
    }

    /** The process group of {@code pid} as {@code /proc/PID/stat} tells it; -1 when it cannot be read (gone). */
    static long processGroup(long pid) {
        return ProcStat.read(PROC, pid).map(ProcStat::group).orElse(-1L);
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
        return true;
    }
}
