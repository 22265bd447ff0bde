package io.stoker.bench;

import io.stoker.dsl.CompileCache;
import io.stoker.dsl.CompileResult;
import io.stoker.dsl.Compiler;
import io.stoker.dsl.JobfileCompiler;
import io.stoker.dsl.isolate.IsolatedJobfileCompiler;
import io.stoker.dsl.isolate.WorkerSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Jobfile compile time: cold (the first compile in a fresh JVM, as the CLI pays it), warm in process, a cache hit,
 * and isolated (a pooled worker JVM, as the server compiles), for a Groovy and a YAML sample.
 */
final class CompileTime {
    /** The JVM options {@code ./stoker} starts the CLI with, so the cold figure is the CLI's. */
    static final List<String> CLI_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private final Settings settings;
    private final Path samples;
    private int coldRejected;
    private int isolatedRejected;

    CompileTime(Settings settings, Path samples) {
        this.settings = settings;
        this.samples = samples;
    }

    Table measure() throws Exception {
        List<Path> files = List.of(samples.resolve("05-parameters-when/Jobfile"),
                samples.resolve("08-yaml/Jobfile.yaml"));
        List<String> headers = new ArrayList<>(List.of("compile"));
        for (String syntax : List.of("Groovy", "YAML")) {
            headers.add(syntax + " median");
            headers.add("p90");
            headers.add("n");
        }
        // per file: cold, cold JVM wall, warm, cached, isolated with the pool ready, isolated back to back
        List<List<Samples>> byFile = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String text = Files.readString(file);
            List<Long> coldCompile = new ArrayList<>();
            List<Long> coldWall = new ArrayList<>();
            cold(file, coldCompile, coldWall);
            byFile.add(new ArrayList<>(List.of(Samples.of(coldCompile), Samples.of(coldWall),
                    Samples.of(repeat(new JobfileCompiler(), name, text, settings.warmCompiles(), settings.warmCompiles())),
                    cached(name, text))));
        }
        // started only now: its pool's JVMs warm up on the same CPUs and would disturb the figures above
        String poolNote;
        try (IsolatedJobfileCompiler isolated = new IsolatedJobfileCompiler()) {
            for (int i = 0; i < files.size(); i++) {
                String name = files.get(i).getFileName().toString();
                String text = Files.readString(files.get(i));
                byFile.get(i).add(Samples.of(isolated(isolated, name, text, true)));
                byFile.get(i).add(Samples.of(isolated(isolated, name, text, false)));
            }
            poolNote = "pool " + isolated.settings().poolSize() + ", sandbox " + isolated.settings().sandbox().kind();
        }
        Table table = new Table("Jobfile compile time: Groovy = samples/" + samples.relativize(files.get(0))
                + ", YAML = samples/" + samples.relativize(files.get(1)), headers.toArray(String[]::new));
        String[] labels = {"cold: first compile in a fresh JVM, ms", "cold: that JVM's whole life, ms",
                "warm in-process, ms", "cached (CompileCache hit), µs", "isolated, pool ready, ms",
                "isolated, back to back, ms"};
        for (int row = 0; row < labels.length; row++) {
            double unit = row == 3 ? 1e3 : 1e6;
            List<Object> cells = new ArrayList<>(List.of(labels[row]));
            for (List<Samples> samplesOfFile : byFile) {
                Samples s = samplesOfFile.get(row);
                cells.add(Table.fmt(s.median() / unit));
                cells.add(Table.fmt(s.percentile(90) / unit));
                cells.add(s.count());
            }
            table.row(cells.toArray());
        }
        if (coldRejected > 0) {
            table.note("!! " + io.stoker.model.Plural.of(coldRejected, "cold compile") + " hit the Jobfile evaluation time limit and "
                    + (coldRejected == 1 ? "was" : "were") + " rejected"
                    + " (the time until then is counted)");
        }
        if (isolatedRejected > 0) {
            table.note("!! " + io.stoker.model.Plural.of(isolatedRejected, "isolated compile") + " "
                    + (isolatedRejected == 1 ? "was" : "were") + " rejected (time limit or worker failure;"
                    + " the time until then is counted)");
        }
        return table.note("cold = a fresh JVM with the CLI's options " + String.join(" ", CLI_JVM_OPTIONS)
                        + " (spawn to exit for its whole life);")
                .note("warm = one JobfileCompiler after as many warm-up compiles; isolated = IsolatedJobfileCompiler ("
                        + poolNote + "),")
                .note("  waiting for the pool to refill and settle before each compile, or compiling back to back");
    }

    private void cold(Path file, List<Long> compileNanos, List<Long> wallNanos) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(CLI_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ColdCompile.class.getName(),
                file.toString()));
        for (int i = 0; i < settings.coldRuns(); i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) throw new IllegalStateException("cold compile JVM exited " + p.exitValue());
            wallNanos.add(System.nanoTime() - t0);
            String[] fields = out.split(" ");
            compileNanos.add(Long.parseLong(fields[0]));
            if (!"compiled".equals(fields[2])) coldRejected++;
        }
    }

    private static List<Long> repeat(Compiler compiler, String name, String text, int warmups, int measured) {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < warmups + measured; i++) {
            long t0 = System.nanoTime();
            CompileResult result = compiler.compile(name, text);
            long t = System.nanoTime() - t0;
            // the first compiles in this JVM may run into the evaluation time limit on a loaded machine: warm-up
            if (i >= warmups) {
                requireCompiled(name, result);
                nanos.add(t);
            }
        }
        return nanos;
    }

    private Samples cached(String name, String text) {
        CompileCache cache = new CompileCache(new JobfileCompiler());
        Samples s = Samples.of(repeat(cache, name, text, 1 + settings.cachedCompiles() / 10, settings.cachedCompiles()));
        if (cache.misses() != 1) throw new IllegalStateException("the cache compiled " + cache.misses() + " times");
        return s;
    }

    private List<Long> isolated(IsolatedJobfileCompiler compiler, String name, String text, boolean poolReady)
            throws InterruptedException {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < settings.isolatedRuns(); i++) {
            if (poolReady) awaitIdleWorkers(compiler.settings());
            long t0 = System.nanoTime();
            CompileResult result = compiler.compile(name, text);
            nanos.add(System.nanoTime() - t0);
            if (!(result instanceof CompileResult.Compiled)) {
                isolatedRejected++;
                System.err.println("bench: isolated compile of " + name + " rejected: " + result.diagnostics());
            }
        }
        return nanos;
    }

    /**
     * Waits until the pool holds its JVMs and they have finished warming up: as many java processes below this one
     * as the pool size, using less than 20 ms of CPU over 300 ms. Gives up after 60 s and measures anyway.
     */
    private static void awaitIdleWorkers(WorkerSettings settings) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long lastCpu = -1;
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> workers = ProcessHandle.current().descendants()
                    .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).toList();
            long cpu = workers.stream().mapToLong(h -> h.info().totalCpuDuration()
                    .map(java.time.Duration::toMillis).orElse(0L)).sum();
            if (workers.size() >= settings.poolSize() && lastCpu >= 0 && cpu - lastCpu < 20) return;
            lastCpu = workers.size() >= settings.poolSize() ? cpu : -1;
            Thread.sleep(300);
        }
        System.err.println("bench: the isolated compiler's pool did not settle within 60 s; measuring anyway");
    }

    private static void requireCompiled(String name, CompileResult result) {
        if (!(result instanceof CompileResult.Compiled)) {
            throw new IllegalStateException(name + " did not compile: " + result.diagnostics());
        }
    }
}
