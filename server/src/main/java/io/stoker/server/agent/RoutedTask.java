package io.stoker.server.agent;

import io.stoker.engine.exec.CollectedArtifacts;
import io.stoker.engine.exec.Placement;
import io.stoker.engine.exec.RunningTask;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * An attempt that first waits for an agent and then runs there. The engine gets it at once (an executor's start
 * must not block), reads its streams and may kill it while it still waits; until the real task exists its streams
 * block, and once it has started they are that task's streams. An attempt that never started reads as empty and
 * ends with {@link #failureReason()} saying why. While it waits its placement says why (the engine shows the task
 * {@code starting} with that reason); once it started, that it runs.
 */
final class RoutedTask implements RunningTask {
    /** What a killed attempt that never started reports as exit code; the engine reports it as cancelled or timed out. */
    static final int KILLED = 143;

    private final CountDownLatch decided = new CountDownLatch(1);
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile RunningTask task;
    private volatile String failure;
    private volatile boolean killed;
    private Consumer<String> note; // guarded by this
    private Consumer<Placement> placements; // guarded by this
    private Placement placement; // the latest, told to a listener that comes later; guarded by this
    /** Held while a placement is told, so they arrive in order: a late "waits" never follows "started". */
    private final Object telling = new Object();

    RoutedTask(String waitingFor) {
        placement = new Placement.Waiting(waitingFor);
    }

    /** It still waits, for a reason that changed (an agent went away or came back). */
    void stillWaiting(String why) {
        tell(new Placement.Waiting(why));
    }

    private void tell(Placement now) {
        synchronized (telling) {
            Consumer<Placement> to;
            synchronized (this) {
                placement = now;
                to = placements;
            }
            if (to != null) to.accept(now); // outside this lock: the engine takes its run's lock
        }
    }

    /** The attempt started on an agent: from now on everything is that task's. */
    void started(RunningTask started) {
        synchronized (this) {
            if (killed) {
                started.kill();
            }
            task = started;
            if (note != null) started.onNote(note);
        }
        decided.countDown();
        tell(new Placement.Started());
        started.onExit().whenComplete((code, error) -> exit.complete(code == null ? -1 : code));
    }

    /** The attempt could not start (no agent can match, the agent refused it). */
    void failed(String why) {
        failure = why;
        decided.countDown();
        exit.complete(-1);
    }

    boolean killed() {
        return killed;
    }

    @Override
    public void kill() {
        RunningTask t;
        synchronized (this) {
            killed = true;
            t = task;
        }
        if (t != null) {
            t.kill();
        } else {
            decided.countDown();
            exit.complete(KILLED);
        }
    }

    @Override
    public OutputStream stdin() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                target().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                target().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                RunningTask t = task;
                if (t != null) t.stdin().flush();
            }

            @Override
            public void close() throws IOException {
                awaitDecided();
                RunningTask t = task;
                if (t != null) t.stdin().close();
            }

            private OutputStream target() throws IOException {
                awaitDecided();
                RunningTask t = task;
                if (t == null) throw new IOException("the attempt never started: " + why());
                return t.stdin();
            }
        };
    }

    @Override
    public InputStream stdout() {
        return new Deferred(true);
    }

    @Override
    public InputStream stderr() {
        return new Deferred(false);
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return -1;
        }
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    @Override
    public String outputText() throws IOException {
        RunningTask t = task;
        return t == null ? "" : t.outputText();
    }

    @Override
    public CollectedArtifacts collectArtifacts(List<String> globs, Path zip, BooleanSupplier stopped) throws IOException {
        RunningTask t = task;
        return t == null ? CollectedArtifacts.NONE : t.collectArtifacts(globs, zip, stopped);
    }

    @Override
    public String failureReason() {
        RunningTask t = task;
        return t != null ? t.failureReason() : failure;
    }

    @Override
    public boolean gaveUp() {
        RunningTask t = task;
        return t != null ? t.gaveUp() : failure != null; // one that never started has no exit code either
    }

    @Override
    public synchronized void onNote(Consumer<String> note) {
        this.note = note;
        if (task != null) task.onNote(note);
    }

    @Override
    public void onPlacement(Consumer<Placement> placement) {
        synchronized (telling) {
            Placement now;
            synchronized (this) {
                placements = placement;
                now = this.placement;
            }
            placement.accept(now);
        }
    }

    @Override
    public java.util.List<io.stoker.engine.image.ImageDigest> images() {
        RunningTask t = task;
        return t != null ? t.images() : java.util.List.of();
    }

    @Override
    public void release() {
        RunningTask t = task;
        if (t != null) t.release();
    }

    private String why() {
        return failure != null ? failure : killed ? "killed while waiting for an agent" : "unknown";
    }

    private void awaitDecided() throws IOException {
        try {
            decided.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for an agent");
        }
    }

    /** stdout or stderr: blocks until the attempt started or ended, then reads the real stream or end of file. */
    private final class Deferred extends InputStream {
        private final boolean out;
        private InputStream in;

        Deferred(boolean out) {
            this.out = out;
        }

        private InputStream source() throws IOException {
            if (in == null) {
                awaitDecided();
                RunningTask t = task;
                in = t == null ? InputStream.nullInputStream() : out ? t.stdout() : t.stderr();
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return source().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return source().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            // a reader that stops early closes the real stream (SIGPIPE for the writer), as with a local task
            if (decided.getCount() == 0) {
                RunningTask t = task;
                if (t != null) (out ? t.stdout() : t.stderr()).close();
            }
        }
    }
}
