package io.stoker.dsl.isolate;

import io.stoker.dsl.CompileResult;
import io.stoker.dsl.Compiler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The isolated compiler of a process that should not wait for the sandbox probe: the probe (a Jobfile compiled in a
 * cold worker JVM under each wrapper in turn, ~2 s) runs on a thread of its own, and the {@link IsolatedJobfileCompiler}
 * is made with the wrapper it chose. A compile asked for meanwhile waits for it; nothing else does, so a server
 * listens and answers while the probe runs. {@link #warmUp()} and {@link #close()} asked for before the probe ended
 * are done when it ends.
 */
public final class ProbedIsolatedCompiler implements Compiler, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProbedIsolatedCompiler.class);
    private final CompletableFuture<IsolatedJobfileCompiler> made = new CompletableFuture<>();
    private boolean warm;
    private boolean closed;

    private ProbedIsolatedCompiler() {
    }

    /**
     * Starts the probe and returns at once.
     *
     * @param settings the workers' settings for the wrapper the probe chose
     */
    public static ProbedIsolatedCompiler start(Function<Sandbox, WorkerSettings> settings) {
        return start(settings, CompileSlots.DEFAULT_CONCURRENT);
    }

    /** As above, with at most {@code concurrent} compiles (worker JVMs) at once ({@link CompileSlots}). */
    public static ProbedIsolatedCompiler start(Function<Sandbox, WorkerSettings> settings, int concurrent) {
        return starting(Sandbox::detected, settings.andThen(s -> new Made(s, CompileSlots.of(concurrent, s.timeout()))));
    }

    /** The settings the probe chose and the compiles they allow at once. */
    private record Made(WorkerSettings settings, CompileSlots slots) {
    }

    /** With a probe of the caller's: specs hold it back to ask for things while it runs. */
    static ProbedIsolatedCompiler start(Supplier<Sandbox> probe, Function<Sandbox, WorkerSettings> settings) {
        return starting(probe, settings.andThen(s -> new Made(s, CompileSlots.of(CompileSlots.DEFAULT_CONCURRENT, s.timeout()))));
    }

    private static ProbedIsolatedCompiler starting(Supplier<Sandbox> probe, Function<Sandbox, Made> settings) {
        var compiler = new ProbedIsolatedCompiler();
        Thread.ofPlatform().daemon().name("jobfile-compiler-on-probe").start(() -> compiler.make(probe, settings));
        return compiler;
    }

    private void make(Supplier<Sandbox> probe, Function<Sandbox, Made> settings) {
        IsolatedJobfileCompiler isolated;
        try {
            Made chosen = settings.apply(probe.get());
            isolated = IsolatedJobfileCompiler.warmedLater(chosen.settings(), chosen.slots());
        } catch (Throwable e) {
            made.completeExceptionally(e);
            return;
        }
        synchronized (this) { // closed or warmed before a compile can have it
            try {
                if (closed) {
                    isolated.close();
                } else if (warm) {
                    isolated.warmUp();
                }
            } catch (RuntimeException e) { // a compile starts its worker itself and reports why it cannot
                LOG.warn("cannot start the warm Jobfile worker: {}", e.getMessage());
            } finally {
                made.complete(isolated);
            }
        }
    }

    @Override
    public CompileResult compile(String file, String text) {
        return isolated().compile(file, text);
    }

    @Override
    public CompileResult compileInTurn(String file, String text) {
        return isolated().compileInTurn(file, text);
    }

    private IsolatedJobfileCompiler isolated() {
        try {
            return made.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the Jobfile sandbox probe failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Starts the warm worker now, or as soon as the probe ends. */
    public synchronized void warmUp() {
        warm = true;
        if (made.isDone() && !made.isCompletedExceptionally() && !closed) made.join().warmUp();
    }

    /** Whether the probe has ended and the compiler is made. */
    public boolean probed() {
        return made.isDone();
    }

    /** The compiler made once the probe ended, for specs. */
    java.util.Optional<IsolatedJobfileCompiler> made() {
        return made.isDone() && !made.isCompletedExceptionally() ? java.util.Optional.of(made.join()) : java.util.Optional.empty();
    }

    /** Stops the workers now, or as soon as the probe ends (the probe itself runs to its end, a few seconds). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (made.isDone() && !made.isCompletedExceptionally()) made.join().close();
    }
}
