package io.stoker.engine.exec.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Hides directories and other processes from the tasks run on this machine, with bubblewrap: a task sees the machine
 * as it would without it (same user, same files, network), but each hidden directory is an empty one in its own
 * mount namespace, except for the task's workspace, its attempt's scratch directory and a deployment's directory
 * ({@code STOKER_DEPLOY_DIR}), which are the real ones. The server hides its data directory: its keys, database,
 * other projects' workspaces and logs.
 *
 * <p>Each task also gets its own PID namespace and {@code /proc}: running as the server's user, it could otherwise
 * read {@code /proc/PID/environ} of every other task (their secrets) and of the server itself (everything it was
 * configured with through the environment). The server still sees the task's processes under their real PIDs and
 * kills them as a group; bubblewrap's init, their PID 1, is in that group, and the whole namespace ends with it. So
 * a background process a task leaves ends with the task. A local deployment's task is the exception: the service it
 * starts must outlive it, and the server and the next deployment stop that service by the PID it records, so it
 * keeps the machine's PID namespace (and can see other processes).
 */
public final class TaskSandbox {
    /** The variable naming a local deployment's directory, set by the server only (a Jobfile cannot set STOKER_*). */
    private static final String DEPLOY_DIR = "STOKER_DEPLOY_DIR";
    /** Variables naming a directory under a hidden one that the task works in (made when missing). */
    static final List<String> OWN_DIRECTORIES = List.of(DEPLOY_DIR);
    /** A PID namespace of its own, with a {@code /proc} showing only its processes. */
    private static final List<String> OWN_PROCESSES = List.of("--unshare-pid", "--proc", "/proc");

    private final String bwrap;
    private final List<Path> hidden;

    private TaskSandbox(String bwrap, List<Path> hidden) {
        this.bwrap = bwrap;
        this.hidden = hidden;
    }

    /** Whether bubblewrap works here: the sandbox, or why there is none. */
    public sealed interface Probe {
    }

    /** It works: tasks can run in {@code sandbox}. */
    public record Works(TaskSandbox sandbox) implements Probe {
    }

    /** It does not, for {@code reason} (one sentence, with the fix where there is one). */
    public record Fails(String reason) implements Probe {
    }

    /**
     * A sandbox hiding {@code hidden} when bubblewrap is installed and works here (it needs user namespaces when not
     * run as root), else why not. Runs bubblewrap once.
     */
    public static Probe probe(List<Path> hidden) {
        String bwrap = LocalExecutor.firstExisting("/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap");
        if (bwrap == null) return new Fails("bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)");
        List<Path> dirs = hidden.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        String tried = tryOnce(bwrap, dirs);
        return tried == null ? new Works(new TaskSandbox(bwrap, dirs)) : new Fails("bwrap does not work here: " + tried);
    }

    /** The sandbox of {@link #probe}, when it works. */
    public static Optional<TaskSandbox> bubblewrap(List<Path> hidden) {
        return probe(hidden) instanceof Works works ? Optional.of(works.sandbox()) : Optional.empty();
    }

    /** Null when a task-like command runs under the sandbox, else why not. */
    private static String tryOnce(String bwrap, List<Path> dirs) {
        List<String> command = new ArrayList<>(List.of(bwrap, "--dev-bind", "/", "/"));
        for (Path dir : dirs) command.addAll(List.of("--tmpfs", dir.toString()));
        command.addAll(OWN_PROCESSES); // as tasks run: a kernel refusing a new /proc fails here, not in every task
        command.addAll(List.of("--", "/bin/sh", "-c", "true"));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "it did not answer within 30 s";
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.exitValue() == 0 ? null : out.isEmpty() ? "exit " + p.exitValue() : out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The directories hidden. */
    public List<Path> hidden() {
        return hidden;
    }

    /**
     * The words that start a task's command inside the sandbox: {@code workspace} and {@code scratch} (and the
     * directories {@link #OWN_DIRECTORIES} name in {@code env}) stay the real ones; it sees only its own processes
     * unless it is a local deployment's.
     */
    List<String> wrap(Path workspace, Path scratch, Map<String, String> env) throws IOException {
        List<String> words = new ArrayList<>(List.of(bwrap, "--dev-bind", "/", "/"));
        for (Path dir : hidden) words.addAll(List.of("--tmpfs", dir.toString()));
        if (!env.containsKey(DEPLOY_DIR)) words.addAll(OWN_PROCESSES); // after --dev-bind: mounted over the host's
        List<Path> own = new ArrayList<>(List.of(workspace, scratch));
        for (String name : OWN_DIRECTORIES) {
            String value = env.get(name);
            if (value != null && Path.of(value).isAbsolute()) own.add(Files.createDirectories(Path.of(value)));
        }
        for (Path dir : own) {
            Path real = dir.toAbsolutePath().normalize();
            if (isHidden(real) && Files.isDirectory(real)) words.addAll(List.of("--bind", real.toString(), real.toString()));
        }
        words.add("--");
        return words;
    }

    private boolean isHidden(Path path) {
        return hidden.stream().anyMatch(path::startsWith);
    }
}
