package io.stoker.bench;

import io.stoker.model.Job;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-task overhead: N independent tasks, each {@code true}, run by the engine, against the same script spawned N
 * times as {@code bash -e <file>} with ProcessBuilder (the executor's own command), at the same parallelism.
 * Engine and bare rounds alternate, so a change in the machine's load hits both alike.
 */
final class TaskOverhead {
    /** The executor starts tasks through setsid where it exists; a third column shows what that alone costs. */
    private static final String SETSID = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid"
            : Files.isExecutable(Path.of("/bin/setsid")) ? "/bin/setsid" : null;

    private final Settings settings;

    TaskOverhead(Settings settings) {
        this.settings = settings;
    }

    Table measure(Path dir) throws Exception {
        int n = settings.tasks();
        StringBuilder jobfile = new StringBuilder("jobs:\n  noop:\n    tasks:\n");
        for (int i = 1; i <= n; i++) jobfile.append("      t").append(i).append(": {sh: 'true'}\n");
        Job job = LocalEngine.job(jobfile.toString());
        Path script = dir.resolve("noop.sh");
        Files.writeString(script, "true");

        Table table = new Table("Per-task overhead: " + n + " tasks running `true` (median of " + settings.rounds()
                + " rounds after " + settings.warmups() + " warm-up)",
                "parallel", "engine total ms", "bare total ms", "engine ms/task", "bare ms/task", "overhead ms/task",
                "setsid bare ms/task");
        try (LocalEngine engine = new LocalEngine(Files.createDirectories(dir.resolve("engine")))) {
            for (int parallel : new int[]{1, 2}) {
                List<Long> engineNanos = new ArrayList<>();
                List<Long> bareNanos = new ArrayList<>();
                List<Long> setsidNanos = new ArrayList<>();
                for (int round = 0; round < settings.warmups() + settings.rounds(); round++) {
                    long t0 = System.nanoTime();
                    engine.run(job, parallel);
                    long t1 = System.nanoTime();
                    bareSpawns(List.of("bash", "-e", script.toString()), n, parallel, dir.toFile());
                    long t2 = System.nanoTime();
                    if (SETSID != null) {
                        bareSpawns(List.of(SETSID, "bash", "-e", script.toString()), n, parallel, dir.toFile());
                    }
                    long t3 = System.nanoTime();
                    engine.clearRuns();
                    if (round < settings.warmups()) continue;
                    engineNanos.add(t1 - t0);
                    bareNanos.add(t2 - t1);
                    setsidNanos.add(t3 - t2);
                }
                double engineMs = Samples.ms(Samples.of(engineNanos).median());
                double bareMs = Samples.ms(Samples.of(bareNanos).median());
                table.row(parallel, Table.fmt(engineMs), Table.fmt(bareMs), Table.fmt(engineMs / n),
                        Table.fmt(bareMs / n), Table.fmt((engineMs - bareMs) / n),
                        SETSID == null ? "-" : Table.fmt(Samples.ms(Samples.of(setsidNanos).median()) / n));
            }
        }
        return table.note("bare = ProcessBuilder(\"bash\", \"-e\", script).start().waitFor(), output discarded, "
                + "on as many threads as `parallel`;")
                .note("engine = RunEngine.run() wired as `stoker run` (setsid, per-attempt script, log file, run.json);")
                .note("setsid bare = the same spawns through setsid, as the local executor starts every task");
    }

    /** Spawns {@code n} processes on {@code parallel} platform threads, each waiting for one process at a time. */
    private static void bareSpawns(List<String> command, int n, int parallel, File cwd) throws Exception {
        AtomicInteger left = new AtomicInteger(n);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < parallel; w++) {
                workers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        Process p = new ProcessBuilder(command).directory(cwd)
                                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                        if (p.waitFor() != 0) throw new IOException("bare " + command + " exited " + p.exitValue());
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) f.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
