package io.stoker.bench;

import io.stoker.dsl.CompileResult;
import io.stoker.dsl.JobfileCompiler;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link CompileTime}: compiles one Jobfile once and prints
 * {@code <compile nanos> <JVM uptime ms at the end>}; exit 1 when the Jobfile did not compile.
 */
public final class ColdCompile {
    private ColdCompile() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String text = Files.readString(file);
        long t0 = System.nanoTime();
        CompileResult result = new JobfileCompiler().compile(file.getFileName().toString(), text);
        long nanos = System.nanoTime() - t0;
        if (!(result instanceof CompileResult.Compiled)) {
            System.err.println("cold compile rejected " + file + ": " + result.diagnostics());
            System.exit(1);
        }
        System.out.println(nanos + " " + ManagementFactory.getRuntimeMXBean().getUptime());
    }
}
