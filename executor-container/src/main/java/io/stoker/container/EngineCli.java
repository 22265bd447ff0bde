package io.stoker.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Runs one engine command (an argument list, never a shell string) and returns its exit code and output. */
final class EngineCli {
    /** At most this much of a command's output is kept (a pull's progress, an error). */
    private static final int MAX_OUTPUT = 64 * 1024;

    private final ContainerEngine engine;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    EngineCli(ContainerEngine engine) {
        this.engine = engine;
    }

    /**
     * Kills the commands running through this client now and refuses later ones: an attempt killed during its setup
     * (a pull can take minutes) ends at once instead of when the pull does.
     */
    void stop() {
        stopped = true;
        running.forEach(Process::destroyForcibly);
    }

    /** Exit code and output (stdout and stderr together) of a finished command. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }

        /** The last line of the output, for a one-line reason. */
        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    Result run(Duration limit, String... args) throws IOException {
        return run(limit, List.of(args), Map.of());
    }

    /** Runs {@code engine args…} with the engine's environment plus {@code extraEnv}; killed after {@code limit}. */
    Result run(Duration limit, List<String> args, Map<String, String> extraEnv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(engine.env());
        pb.environment().putAll(extraEnv);
        if (stopped) throw new IOException("stopped before: " + String.join(" ", args));
        Process p = pb.start();
        running.add(p);
        if (stopped) p.destroyForcibly(); // stop() ran between the check and the add
        var timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        // a bounded wait: a hung engine (a stuck pull, a dead daemon) must not hold a task for ever
        Thread watchdog = Thread.ofPlatform().daemon().name("engine-cli-limit").start(() -> {
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut.set(true);
                    p.destroyForcibly();
                }
            } catch (InterruptedException ended) {
                // the command ended first
            }
        });
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readNBytes(MAX_OUTPUT);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", args));
        } finally {
            watchdog.interrupt();
            running.remove(p);
        }
        if (timedOut.get()) {
            return new Result(124, "timed out after " + limit.toSeconds() + " s: " + engine.kind().command() + " "
                    + String.join(" ", args));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The full command line: the engine's binary, then {@code args}. */
    List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(engine.binary().toString());
        command.addAll(args);
        return command;
    }
}
