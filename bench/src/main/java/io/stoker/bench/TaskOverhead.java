package io.stoker.bench;

import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.TaskRecord;
import io.stoker.model.Job;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
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
        RunRecord lastSequential = null;
        try (LocalEngine engine = new LocalEngine(Files.createDirectories(dir.resolve("engine")))) {
            for (int parallel : new int[]{1, 2}) {
                List<Long> engineNanos = new ArrayList<>();
                List<Long> bareNanos = new ArrayList<>();
                List<Long> setsidNanos = new ArrayList<>();
                for (int round = 0; round < settings.warmups() + settings.rounds(); round++) {
                    long t0 = System.nanoTime();
                    RunRecord record = engine.run(job, parallel);
                    if (parallel == 1) lastSequential = record;
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
        if (lastSequential != null) table.note(breakdown(lastSequential));
        return table.note("bare = ProcessBuilder(\"bash\", \"-e\", script).start().waitFor(), output discarded, "
                + "on as many threads as `parallel`;")
                .note("engine = RunEngine.run() wired as `stoker run` (setsid, per-attempt script, log file, run.json);")
                .note("setsid bare = the same spawns through setsid, as the local executor starts every task");
    }

    /**
     * Where a sequential run's time goes, from the engine's own timestamps: a task's start to its end (spawn, the
     * process, draining its output) against one task's end to the next one's start (scheduling, bookkeeping).
     */
    private static String breakdown(RunRecord record) {
        List<TaskRecord> tasks = record.tasks().values().stream()
                .filter(t -> t.startedAt() != null && t.endedAt() != null)
                .sorted(Comparator.comparing(TaskRecord::startedAt)).toList();
        List<Long> inTask = new ArrayList<>();
        List<Long> between = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            inTask.add(Duration.between(tasks.get(i).startedAt(), tasks.get(i).endedAt()).toNanos());
            if (i > 0) between.add(Duration.between(tasks.get(i - 1).endedAt(), tasks.get(i).startedAt()).toNanos());
        }
        if (between.isEmpty()) return "engine timestamps: too few tasks to tell";
        Duration first = Duration.between(record.startedAt(), tasks.getFirst().startedAt());
        Duration last = Duration.between(tasks.getLast().endedAt(), record.endedAt());
        return String.format("engine timestamps (parallel 1, last round): task start→end median %.2f ms, end→next start"
                        + " median %.2f ms;%n    run start→first task %.1f ms, last task→run end %.1f ms",
                Samples.ms(Samples.of(inTask).median()), Samples.ms(Samples.of(between).median()),
                first.toNanos() / 1e6, last.toNanos() / 1e6);
    }

    /** Spawns {@code n} processes on {@code parallel} platform threads, each waiting for one process at a time. */
    static void bareSpawns(List<String> command, int n, int parallel, File cwd) throws Exception {
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
