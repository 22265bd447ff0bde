package io.stoker.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints Stoker's benchmark figures: engine per-task overhead against bare process spawns, pipe throughput against a
 * shell pipe, Jobfile compile time (cold, warm, cached, isolated), and the server over HTTP (trigger latency, queue
 * throughput, live-log follow, resident memory), and a no-op task in a container against {@code podman run --rm}. Plain timing with warm-up rounds and medians:
 * the figures are for reading, nothing asserts on them.
 *
 * <p>Usage: {@code Bench [--quick] [--only overhead|pipe|compile|agent|git|server|cluster|container]... --samples DIR}; {@code bench/run} passes these.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fullPass();
        Path samples = Path.of("samples");
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = Settings.quickPass();
                case "--samples" -> samples = Path.of(args[++i]);
                case "--only" -> only.add(args[++i]);
                default -> {
                    System.err.println("usage: Bench [--quick] [--only overhead|pipe|compile|agent|git|server|cluster|container]... [--samples DIR]");
                    System.exit(2);
                }
            }
        }
        if (!Files.isDirectory(samples.resolve("05-parameters-when"))) {
            System.err.println("bench: no samples in " + samples.toAbsolutePath() + " (give --samples DIR)");
            System.exit(2);
        }
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        try (TempDir tmp = new TempDir("stoker-bench-")) {
            if (only.isEmpty() || only.contains("overhead")) {
                new TaskOverhead(settings).measure(Files.createDirectories(tmp.path.resolve("overhead"))).print(out);
            }
            if (only.isEmpty() || only.contains("pipe")) {
                new PipeThroughput(settings).measure(Files.createDirectories(tmp.path.resolve("pipe"))).print(out);
            }
            if (only.isEmpty() || only.contains("compile")) {
                new CompileTime(settings, samples.toAbsolutePath().normalize()).measure().print(out);
            }
            if (only.isEmpty() || only.contains("agent")) {
                for (Table t : new AgentBench(settings).measure(Files.createDirectories(tmp.path.resolve("agent")))) {
                    t.print(out);
                }
            }
            if (only.isEmpty() || only.contains("git")) {
                new GitWorkspaces(settings).measure(Files.createDirectories(tmp.path.resolve("git"))).print(out);
            }
            if (only.isEmpty() || only.contains("server")) {
                for (Table t : new ServerBench(settings).measure(Files.createDirectories(tmp.path.resolve("server")))) {
                    t.print(out);
                }
            }
            if (only.isEmpty() || only.contains("container")) {
                new ContainerOverhead(settings).measure(Files.createDirectories(tmp.path.resolve("container"))).print(out);
            }
            if (only.isEmpty() || only.contains("cluster")) {
                for (Table t : new ClusterBench(settings).measure(Files.createDirectories(tmp.path.resolve("cluster")))) {
                    t.print(out);
                }
            }
        }
        out.printf("%n%s pass took %.0f s%n", settings.quick() ? "quick" : "full", (System.nanoTime() - t0) / 1e9);
    }
}
