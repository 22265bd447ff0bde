package io.stoker.dsl.isolate;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How worker JVMs are started. {@link #defaults()} holds the defaults in one place.
 *
 * @param java           the java executable
 * @param classpath      the worker's class path (by default this JVM's), made absolute: a worker runs in the temp
 *                       directory, so {@code java -jar cli/target/stoker.jar} started in the checkout would
 *                       otherwise hand it a path it cannot find
 * @param mainClass      the worker main class; specs substitute misbehaving workers
 * @param jvmOptions     heap, GC and stack limits
 * @param poolSize       pre-started JVMs waiting for a request
 * @param timeout        wall-clock limit of one compile, from sending the request
 * @param maxOutputBytes the most a worker may write to stdout
 * @param sandbox        the OS wrapper (probed by default)
 * @param limits         kernel limits: CPU seconds, no file writes ({@link ProcessLimits})
 * @param idleTimeout    how long a warm worker may wait unused before it is stopped; the next compile starts one
 * @param classData      the class-data-sharing archive workers start from once it exists, or null for none
 */
public record WorkerSettings(String java, String classpath, String mainClass, List<String> jvmOptions, int poolSize,
                             Duration timeout, int maxOutputBytes, Sandbox sandbox, ProcessLimits limits,
                             Duration idleTimeout, Path classData) {

    /** How long an unused warm worker is kept by default: a compile after a quiet spell starts a cold one. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

    /**
     * The wall-clock net of one compile: four times the evaluation's CPU budget, so that on a loaded machine the
     * budget (whose refusal names the line and asks about an endless loop) strikes first.
     */
    public static final Duration DEFAULT_TIMEOUT = io.stoker.dsl.groovy.GroovyLimits.DEFAULTS.timeout().multipliedBy(4);

    /** CPU seconds a worker JVM may use in all, warm-up included; the wall-clock timeout usually strikes first. */
    public static final int CPU_SECONDS = 20;

    // a heap above the evaluation's memory budget (256 MiB allocated, checked at each statement): a Jobfile that
    // builds something too big is refused at its line, in the words the CLI uses, before the heap runs out; what
    // the heap holds at idle does not change (it starts at 8 MiB and gives back what it frees)
    public static final List<String> JVM_OPTIONS = defaultJvmOptions();

    private static List<String> defaultJvmOptions() {
        var options = new java.util.ArrayList<>(List.of("-Xmx320m", "-XX:+UseSerialGC", "-Xss512k",
            // a warm worker waits with what its warm-up left: a heap that starts small and gives back what it freed
            // keeps it at ~100 MiB resident instead of ~140; the worker's full collection after its warm-up
            // (JobfileWorker) shrinks the heap to the compiler's caches at once (not a step per collection) and
            // leaves it 10 % free: 3–5 MiB less resident while it waits, the compile's own collections unchanged
            "-Xms8m", "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=10", "-XX:-ShrinkHeapInSteps",
            // a young generation of at most 4 MiB (Serial sizes it at a third of the heap, ~12 MiB after warm-up) and
            // the C library's free memory given back: ~109 MiB resident while it waits instead of ~122
            "-XX:MaxNewSize=4m", "-XX:TrimNativeHeapInterval=2000",
            "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
            "-Djava.awt.headless=true", "-Dgroovy.grape.enable=false", "-Dgroovy.asttest.enable=false",
            "-XX:MaxMetaspaceSize=96m", "-XX:MaxDirectMemorySize=16m",
            // the JVM's own warnings (a stale class-data archive, say) go to stdout by default, where the answer is
            "-Xlog:disable", "-Xlog:all=warning:stderr"));
        // 8-byte object headers (a product option from Java 25): the Groovy compiler's caches, most of what the
        // warm worker's heap holds, take ~2 MiB less
        if (Runtime.version().feature() >= 25) options.add("-XX:+UseCompactObjectHeaders");
        return List.copyOf(options);
    }

    public WorkerSettings {
        jvmOptions = List.copyOf(jvmOptions);
        classpath = absolute(classpath);
        if (poolSize < 0) throw new IllegalArgumentException("poolSize must be 0 or more");
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }

    /**
     * This JVM's java and class path, {@link JobfileWorker}, one warm worker reaped after {@link #IDLE_TIMEOUT}, {@link #DEFAULT_TIMEOUT}, 8 MiB of output, probed sandbox,
     * {@link #CPU_SECONDS} of CPU and no file writes.
     */
    public static WorkerSettings defaults() {
        return defaultsWith(Sandbox.detected());
    }

    /** The defaults with this sandbox (the probe tries each wrapper with them; a server, the one it chose). */
    public static WorkerSettings defaultsWith(Sandbox sandbox) {
        return new WorkerSettings(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"), JobfileWorker.class.getName(), JVM_OPTIONS, 1,
                DEFAULT_TIMEOUT, WireFormat.MAX_RESPONSE_BYTES, sandbox, ProcessLimits.of(CPU_SECONDS),
                IDLE_TIMEOUT, null);
    }

    private static String absolute(String classpath) {
        var entries = new java.util.ArrayList<String>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    public WorkerSettings withClasspath(String classpath) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits, idleTimeout, classData);
    }

    public WorkerSettings withMainClass(String mainClass) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits, idleTimeout, classData);
    }

    public WorkerSettings withPoolSize(int poolSize) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits, idleTimeout, classData);
    }

    public WorkerSettings withTimeout(Duration timeout) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits, idleTimeout, classData);
    }

    public WorkerSettings withSandbox(Sandbox sandbox) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits, idleTimeout, classData);
    }

    public WorkerSettings withMaxOutputBytes(int maxOutputBytes) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits, idleTimeout, classData);
    }

    public WorkerSettings withLimits(ProcessLimits limits) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits, idleTimeout, classData);
    }

    public WorkerSettings withIdleTimeout(Duration idleTimeout) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits, idleTimeout, classData);
    }

    public WorkerSettings withClassData(Path classData) {
        return new WorkerSettings(java, classpath, mainClass, jvmOptions, poolSize, timeout, maxOutputBytes, sandbox, limits, idleTimeout, classData);
    }

    /** Workers that hold a Groovy Jobfile's evaluation to {@code budget} of CPU time instead of the default's. */
    public WorkerSettings withEvaluationBudget(Duration budget) {
        var options = new java.util.ArrayList<>(jvmOptions.stream()
                .filter(o -> !o.startsWith("-D" + io.stoker.dsl.groovy.GroovyLimits.TIMEOUT_PROPERTY + "=")).toList());
        options.add("-D" + io.stoker.dsl.groovy.GroovyLimits.TIMEOUT_PROPERTY + "=" + budget.toMillis());
        return new WorkerSettings(java, classpath, mainClass, options, poolSize, timeout, maxOutputBytes, sandbox, limits, idleTimeout, classData);
    }

    /**
     * The CPU time a worker gives a Groovy Jobfile's evaluation: what the option {@link #withEvaluationBudget} added
     * tells it (the last, as the JVM reads it), clamped as the worker clamps it; else the default's.
     */
    public Duration evaluationBudget() {
        String prefix = "-D" + io.stoker.dsl.groovy.GroovyLimits.TIMEOUT_PROPERTY + "=";
        return jvmOptions.stream().filter(o -> o.startsWith(prefix)).reduce((first, last) -> last)
                .map(o -> io.stoker.dsl.groovy.GroovyLimits.workerBudget(Long.parseLong(o.substring(prefix.length()))))
                .orElse(io.stoker.dsl.groovy.GroovyLimits.DEFAULTS.timeout());
    }

    List<String> command() {
        var command = new java.util.ArrayList<String>();
        command.add(java);
        command.addAll(jvmOptions);
        if (classData != null && Files.isRegularFile(classData)) command.add("-XX:SharedArchiveFile=" + classData);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        return limits.wrap(sandbox.wrap(command, needed()));
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p.toAbsolutePath();
        }
    }

    /** What the worker JVM reads: its class path entries and its JDK (the java executable's home). */
    List<Path> needed() {
        var paths = new java.util.ArrayList<Path>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) paths.add(Path.of(entry));
        }
        Path bin = real(Path.of(java)).getParent(); // /usr/bin/java may lead to a JDK under /opt
        if (bin != null && bin.getParent() != null) paths.add(bin.getParent());
        if (classData != null) paths.add(classData);
        return paths;
    }
}
