package io.stoker.bench;

import io.stoker.dsl.CompileResult;
import io.stoker.dsl.JobfileCompiler;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link CompileTime}: compiles one Jobfile once and prints
 * {@code <compile nanos> <JVM uptime ms at the end> <compiled|rejected>}. On a loaded machine a cold Groovy compile
 * can run into the evaluation time limit; that is a figure worth seeing, so it is reported, not hidden.
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
        boolean compiled = result instanceof CompileResult.Compiled;
        if (!compiled) System.err.println("bench: cold compile of " + file + " rejected: " + result.diagnostics());
        System.out.println(nanos + " " + ManagementFactory.getRuntimeMXBean().getUptime() + " "
                + (compiled ? "compiled" : "rejected"));
    }
}
