package io.stoker.bench;

import io.stoker.engine.run.RunRecord;
import io.stoker.model.Job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pipe throughput of {@code task A | task B} through the engine against the same commands in one shell pipe.
 * The engine also logs A's stdout (line-split, timestamped, capped per task), so a line-oriented variant shows the
 * realistic cost; binary zeros have no newlines and exercise the long-line path. Every round checks that B counted
 * every byte.
 */
final class PipeThroughput {
    private static final String LINE = "0123456789012345678901234567890123456789";

    private final Settings settings;

    PipeThroughput(Settings settings) {
        this.settings = settings;
    }

    Table measure(Path dir) throws Exception {
        Table table = new Table("Pipe throughput: A | B with B = `wc -c` (median of " + settings.rounds()
                + " rounds after " + settings.warmups() + " warm-up)",
                "writer A", "MiB", "engine MB/s", "shell MB/s", "engine/shell");
        try (LocalEngine engine = new LocalEngine(Files.createDirectories(dir.resolve("engine")))) {
            variant(table, engine, dir, "head -c " + settings.zeroMiB() + "M /dev/zero", settings.zeroMiB(), "zeros");
            variant(table, engine, dir, "yes " + LINE + " | head -c " + settings.lineMiB() + "M", settings.lineMiB(),
                    "41-byte lines");
        }
        return table.note("engine = RunEngine.run() of a job with A and B (`input from: 'A'`), parallel 2, incl. start"
                        + " and end of both tasks;")
                .note("shell = bash -c 'A | wc -c'. MB = 10^6 bytes. A's log is capped at "
                        + (io.stoker.engine.log.FileLogStore.DEFAULT_MAX_BYTES >> 20) + " MiB per task (engine default).");
    }

    private void variant(Table table, LocalEngine engine, Path dir, String writer, int mib, String label)
            throws Exception {
        long bytes = (long) mib << 20;
        Job job = LocalEngine.job("jobs:\n  pipe:\n    tasks:\n      A: {sh: '" + writer + "'}\n"
                + "      B: {input: A, sh: 'wc -c'}\n");
        List<Long> engineNanos = new ArrayList<>();
        List<Long> shellNanos = new ArrayList<>();
        for (int round = 0; round < settings.warmups() + settings.rounds(); round++) {
            long t0 = System.nanoTime();
            RunRecord record = engine.run(job, 2);
            long t1 = System.nanoTime();
            String counted = LocalEngine.lastOutLine(record, "B");
            long t2 = System.nanoTime();
            String shellCounted = shell(writer + " | wc -c", dir);
            long t3 = System.nanoTime();
            engine.clearRuns();
            requireCount("engine", counted, bytes);
            requireCount("shell", shellCounted, bytes);
            if (round < settings.warmups()) continue;
            engineNanos.add(t1 - t0);
            shellNanos.add(t3 - t2);
        }
        double engineMBs = bytes / 1e6 / (Samples.of(engineNanos).median() / 1e9);
        double shellMBs = bytes / 1e6 / (Samples.of(shellNanos).median() / 1e9);
        table.row(label, mib, Table.fmt(engineMBs), Table.fmt(shellMBs), String.format("%.2f", engineMBs / shellMBs));
    }

    private static String shell(String command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) throw new IOException("`bash -c " + command + "` exited " + p.exitValue());
        return out;
    }

    private static void requireCount(String who, String counted, long bytes) {
        if (counted == null || !counted.strip().equals(Long.toString(bytes))) {
            throw new IllegalStateException(who + " pipe counted " + counted + " bytes, expected " + bytes);
        }
    }
}
