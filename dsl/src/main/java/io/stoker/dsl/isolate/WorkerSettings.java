package io.stoker.dsl.isolate;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How worker JVMs are started. {@link #defaults()} holds the defaults in one place.
 *
 * @param java           the java executable
 * @param classpath      the worker's class path (by default this JVM's)
 * @param mainClass      the worker main class; specs substitute misbehaving workers
 * @param jvmOptions     heap, GC and stack limits
 * @param poolSize       pre-started JVMs waiting for a request
 * @param timeout        wall-clock limit of one compile, from sending the request
 * @param maxOutputBytes the most a worker may write to stdout
 * @param sandbox        the OS wrapper (probed by default)
 * @param limits         kernel limits: CPU seconds, no file writes ({@link ProcessLimits})
 */
public record WorkerSettings(String java, String classpath, String mainClass, List<String> jvmOptions, int poolSize,
                             Duration timeout, int maxOutputBytes, Sandbox sandbox, ProcessLimits limits) {

    /** CPU seconds a worker JVM may use in all, warm-up included; the wall-clock timeout usually strikes first. */
    public static final int CPU_SECONDS = 20;

    public static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-Xss512k",
            "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
            "-Djava.awt.headless=true", "-Dgroovy.grape.enable=false", "-Dgroovy.asttest.enable=false",
            "-XX:MaxMetaspaceSize=96m", "-XX:MaxDirectMemorySize=16m");

    public WorkerSettings {
        jvmOptions = List.copyOf(jvmOptions);
        if (poolSize < 0) throw new IllegalArgumentException("poolSize must be 0 or more");
    }

    /**
     * This JVM's java and class path, {@link JobfileWorker}, pool of 2, 10 s, 8 MiB of output, probed sandbox,
     * {@link #CPU_SECONDS} of CPU and no file writes.
     */
    public static WorkerSettings defaults() {
        return defaultsWith(Sandbox.detected());
    }

    /** The defaults with this sandbox (the probe tries each wrapper with them). */
    static WorkerSettings defaultsWith(Sandbox sandbox) {
        return new WorkerSettings(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"), JobfileWorker.class.getName(), JVM_OPTIONS, 2,
                Duration.ofSeconds(10), WireFormat.MAX_RESPONSE_BYTES, sandbox, ProcessLimits.of(CPU_SECONDS));
    }

    public WorkerSettings withClasspath(String classpath) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits);
    }

    public WorkerSettings withMainClass(String mainClass) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits);
    }

    public WorkerSettings withPoolSize(int poolSize) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits);
    }

    public WorkerSettings withTimeout(Duration timeout) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits);
    }

    public WorkerSettings withSandbox(Sandbox sandbox) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits);
    }

    public WorkerSettings withMaxOutputBytes(int maxOutputBytes) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits);
    }

    public WorkerSettings withLimits(ProcessLimits limits) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits);
    }

    List<String> command() {
        var command = new java.util.ArrayList<String>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        return limits.wrap(sandbox.wrap(command, needed()));
    }

    /** What the worker JVM reads: its class path entries and its JDK (the java executable's home). */
    List<Path> needed() {
        var paths = new java.util.ArrayList<Path>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) paths.add(Path.of(entry));
        }
        Path bin = Path.of(java).toAbsolutePath().getParent();
        if (bin != null && bin.getParent() != null) paths.add(bin.getParent());
        return paths;
    }
}
