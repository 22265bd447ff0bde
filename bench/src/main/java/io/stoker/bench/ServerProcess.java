package io.stoker.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Stoker server started as a user's {@code ./stoker server} starts it — the CLI jar, the JVM options the launcher
 * gives a server and the class-data archive it keeps for that jar and JDK (an AOT cache on JDK 25 and later, which
 * {@code bench/run} has the launcher make first) — on 127.0.0.1 with a free port and the given data directory.
 * Closing it sends SIGTERM, then SIGKILL after a bounded wait.
 */
final class ServerProcess implements AutoCloseable {
    private static final Path REPO = Path.of(System.getProperty("stoker.repo", "."));
    /** The jar {@code ./stoker} runs. */
    private static final Path JAR = REPO.resolve("cli").resolve("target").resolve("stoker.jar");
    /**
     * The options the {@code stoker} launcher gives {@code stoker server}: {@code STOKER_JAVA_OPTS} when set (as the
     * launcher takes it), else the repository's {@code scripts/server-jvm-options}.
     */
    static final List<String> JVM_OPTIONS = launcherOptions();

    /** The launcher's class-data options for a server of this jar and JDK: none when it has no archive for them. */
    static final List<String> ARCHIVE_OPTIONS = archiveOptions();

    /**
     * As the launcher chooses them: nothing when {@code STOKER_JAVA_OPTS} or {@code STOKER_CDS=off} is set, else
     * {@code cli/target/stoker-server-KEY.aot} (JDK 25 and later) or {@code .jsa}, KEY being the jar's and the JDK's
     * modules file's modification times and sizes, as {@code stat -c %Y.%s} prints them.
     */
    private static List<String> archiveOptions() {
        if (given() != null || "off".equals(System.getenv("STOKER_CDS"))) return List.of();
        try {
            Path modules = Path.of(System.getProperty("java.home"), "lib", "modules");
            String key = stamp(JAR) + "-" + stamp(modules);
            Path aot = JAR.resolveSibling("stoker-server-" + key + ".aot");
            Path jsa = JAR.resolveSibling("stoker-server-" + key + ".jsa");
            String quiet = "-Xlog:cds=off";
            if (Files.isRegularFile(aot)) return List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off", quiet, "-Xlog:cds+dynamic=off");
            if (Files.isRegularFile(jsa)) return List.of("-XX:SharedArchiveFile=" + jsa, quiet, "-Xlog:cds+dynamic=off");
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String stamp(Path file) throws IOException {
        return Files.getLastModifiedTime(file).to(TimeUnit.SECONDS) + "." + Files.size(file);
    }

    private static String given() {
        String text = System.getenv("STOKER_JAVA_OPTS");
        return text == null || text.isBlank() ? null : text;
    }

    private static List<String> launcherOptions() {
        String text = System.getenv("STOKER_JAVA_OPTS");
        if (text == null || text.isBlank()) {
            Path file = REPO.resolve("scripts").resolve("server-jvm-options");
            try {
                text = java.nio.file.Files.readString(file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the server's JVM options from " + file, e);
            }
        }
        return List.of(text.trim().split("\\s+"));
    }

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final long START_SECONDS = 60;
    private static final long STOP_SECONDS = 15;

    private final Process process;
    final String url;
    /** The first start's admin password (STOKER_ADMIN_PASSWORD), random per bench run. */
    final String adminPassword;

    private ServerProcess(Process process, String url, String adminPassword) {
        this.process = process;
        this.url = url;
        this.adminPassword = adminPassword;
    }

    static ServerProcess start(Path dataDir, Path stderrFile) throws IOException, InterruptedException {
        return start(dataDir, stderrFile, java.util.Map.of());
    }

    /** Starts a server with extra environment ({@code STOKER_SLOTS} and the like). */
    static ServerProcess start(Path dataDir, Path stderrFile, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(JVM_OPTIONS);
        // as the launcher adds it from Java 23 on (Jib reaches sun.misc.Unsafe)
        if (given() == null && Runtime.version().feature() >= 23) command.add("--sun-misc-unsafe-memory-access=allow");
        command.addAll(ARCHIVE_OPTIONS);
        command.addAll(List.of("-jar", JAR.toString(), "server"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderrFile.toFile());
        pb.environment().put("STOKER_PORT", "0");
        pb.environment().put("STOKER_BIND", "127.0.0.1");
        pb.environment().put("STOKER_DATA_DIR", dataDir.toString());
        String adminPassword = "bench-" + UUID.randomUUID();
        pb.environment().put("STOKER_ADMIN_PASSWORD", adminPassword);
        pb.environment().putAll(env);
        Process process = pb.start();
        CompletableFuture<String> url = new CompletableFuture<>();
        // reads stdout for the address, then keeps draining it so the server never blocks on a full pipe
        // a platform thread: a pipe read on a virtual thread pins its carrier for the server's whole life
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) url.complete(m.group(1));
                }
            } catch (IOException ignored) {
                // the process ended; the start wait below reports it
            }
            url.completeExceptionally(new IOException("the server ended without saying where it listens"));
        });
        try {
            return new ServerProcess(process, url.get(START_SECONDS, TimeUnit.SECONDS), adminPassword);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            stop(process);
            throw new IOException("the server did not start within " + START_SECONDS + " s: " + e.getMessage()
                    + "; its stderr: " + tail(stderrFile));
        }
    }

    long pid() {
        return process.pid();
    }

    /** {@code VmRSS} of the server process in bytes, from /proc. */
    long residentBytes() throws IOException {
        return residentBytes(pid());
    }

    /**
     * {@code VmRSS} of every process the server started and that is still alive (the Jobfile compile workers, a
     * running task), in bytes, and how many there are: the server's footprint is all of them.
     */
    long[] descendantsResidentBytes() {
        long bytes = 0;
        long count = 0;
        for (ProcessHandle h : process.descendants().toList()) {
            try {
                bytes += residentBytes(h.pid());
                count++;
            } catch (IOException | RuntimeException gone) {
                // ended between the listing and the read
            }
        }
        return new long[] {bytes, count};
    }

    /**
     * The proportional set size ({@code Pss} of /proc/PID/smaps_rollup) of the server and every live descendant,
     * summed, in bytes: pages the processes share (the JDK's libjvm.so and class-data archive, mapped by the server
     * and the compile worker alike) are counted once instead of once per process as the VmRSS sum counts them.
     */
    long allProportionalBytes() throws IOException {
        long bytes = proportionalBytes(pid());
        for (ProcessHandle h : process.descendants().toList()) {
            try {
                bytes += proportionalBytes(h.pid());
            } catch (IOException | RuntimeException gone) {
                // ended between the listing and the read
            }
        }
        return bytes;
    }

    private static long proportionalBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
            if (line.startsWith("Pss:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IOException("no Pss in /proc/" + pid + "/smaps_rollup");
    }

    private static long residentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    /**
     * Heap in use (survivor, eden and old spaces) in bytes from {@code jstat -gc}, or -1 when the JDK has no jstat
     * or it fails: the figure is a nice-to-have beside the resident size.
     */
    long heapUsedBytes() {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        if (!Files.isExecutable(jstat)) return -1;
        try {
            Process p = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return -1;
            String[] lines = out.strip().split("\n");
            if (lines.length < 2) return -1;
            List<String> head = List.of(lines[0].trim().split("\\s+"));
            String[] values = lines[1].trim().split("\\s+");
            double kib = 0;
            for (String column : List.of("S0U", "S1U", "EU", "OU")) {
                int i = head.indexOf(column);
                if (i < 0 || i >= values.length) return -1;
                kib += Double.parseDouble(values[i]);
            }
            return (long) (kib * 1024);
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: the server's shutdown hook closes the database
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            System.err.println("bench: the server did not stop within " + STOP_SECONDS + " s of SIGTERM; killing it");
            process.destroyForcibly();
            process.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(unreadable)";
        }
    }
}
