package io.stoker.bench;

import io.stoker.container.ContainerEngine;
import io.stoker.container.ContainerExecutor;
import io.stoker.container.ContainerSettings;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.exec.local.LocalExecutor;
import io.stoker.model.Container;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The price of a container: a no-op task through the container executor (container started, one {@code exec} of the
 * step driver, removal after it ends) against {@code podman run --rm IMAGE true}, rounds alternating, medians. The
 * image is a busybox-static one imported here when the host lacks it ({@code STOKER_BENCH_IMAGE} names another). A
 * finished task's container is removed off the task's path: each round waits for that before the next starts.
 */
final class ContainerOverhead {
    private static final String IMAGE = "localhost/stoker-test/busybox:1";
    private static final String BUSYBOX = "/usr/bin/busybox";

    private final Settings settings;

    ContainerOverhead(Settings settings) {
        this.settings = settings;
    }

    Table measure(Path dir) throws Exception {
        int rounds = settings.quick() ? 5 : 15;
        Table table = new Table("Container overhead: a no-op task in a container (median of " + rounds
                + " rounds after 1 warm-up)", "what", "ms", "ratio");
        Optional<ContainerEngine> found = ContainerEngine.find(null);
        if (found.isEmpty()) return table.note("skipped: no container engine (podman or docker) on PATH");
        ContainerEngine engine = found.get();
        String image = System.getenv().getOrDefault("STOKER_BENCH_IMAGE", IMAGE);
        if (run(engine, "image", "exists", image) != 0 && !importBusybox(engine, image, dir)) {
            return table.note("skipped: no image " + image + " and no " + BUSYBOX + " to import one from");
        }
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        String owner = "bench-" + UUID.randomUUID();
        var executor = new ContainerExecutor(new LocalExecutor(scratch), new LocalExecutor(scratch), Optional.of(engine),
                ContainerSettings.defaults().withOwner(owner));
        List<Long> plain = new ArrayList<>();
        List<Long> task = new ArrayList<>();
        try {
            for (int round = 0; round <= rounds; round++) {
                long t0 = System.nanoTime();
                if (run(engine, "run", "--rm", image, "true") != 0) throw new IOException("podman run --rm " + image + " true failed");
                long t1 = System.nanoTime();
                RunningTask t = executor.start(new TaskLaunch("bench", "noop", round + 1, List.of("true"), workspace, Map.of(),
                        false, null, java.util.Set.of(), new Container(image, Container.PullPolicy.NEVER, List.of())));
                t.stdout().transferTo(OutputStream.nullOutputStream());
                t.stderr().transferTo(OutputStream.nullOutputStream());
                int code = t.onExit().get(120, TimeUnit.SECONDS);
                long t2 = System.nanoTime();
                t.release();
                if (code != 0) throw new IOException("the no-op task in " + image + " exited " + code);
                awaitRemoved(engine, owner);
                if (round == 0) continue; // warm-up: layers and the runtime into the page cache
                plain.add(t1 - t0);
                task.add(t2 - t1);
            }
        } finally {
            executor.reapLeftovers();
        }
        double plainMs = Samples.ms(Samples.of(plain).median());
        double taskMs = Samples.ms(Samples.of(task).median());
        table.row(engine.describe() + " run --rm " + image + " true", Table.fmt(plainMs), "1.00");
        table.row("no-op task through the container executor", Table.fmt(taskMs), String.format("%.2f", taskMs / plainMs));
        return table.note("the task: run -d (a sleep), exec of the step driver, exit code read; its container's"
                + " removal (rm -f -v) follows the task's end and is not counted");
    }

    /** Waits (bounded) until no container of {@code owner} is left. */
    private static void awaitRemoved(ContainerEngine engine, String owner) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (output(engine, "ps", "-a", "-q", "--filter", "label=io.stoker.owner=" + owner).isBlank()) return;
            Thread.sleep(50);
        }
        throw new IOException("the task's container was not removed within 60 s");
    }

    /** Imports a root filesystem of busybox-static and its applet links as {@code image}. */
    private static boolean importBusybox(ContainerEngine engine, String image, Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BUSYBOX))) return false;
        Path root = Files.createDirectories(dir.resolve("busybox-root"));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of(BUSYBOX), bin.resolve("busybox"));
        Process list = new ProcessBuilder(BUSYBOX, "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes()).split("\n")) {
            String a = applet.strip();
            if (!a.isEmpty() && !a.equals("busybox")) Files.createSymbolicLink(bin.resolve(a), Path.of("busybox"));
        }
        list.waitFor();
        for (String d : List.of("tmp", "etc", "proc", "sys", "dev", "root")) Files.createDirectories(root.resolve(d));
        Path tar = dir.resolve("busybox.tar");
        if (new ProcessBuilder("tar", "-C", root.toString(), "-cf", tar.toString(), ".").inheritIO().start().waitFor() != 0) return false;
        return run(engine, "import", "--change", "ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                tar.toString(), image) == 0;
    }

    private static int run(ContainerEngine engine, String... args) throws IOException, InterruptedException {
        Process p = process(engine, args);
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor();
    }

    private static String output(ContainerEngine engine, String... args) throws IOException, InterruptedException {
        Process p = process(engine, args);
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private static Process process(ContainerEngine engine, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(engine.binary().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(engine.env());
        return pb.start();
    }
}
