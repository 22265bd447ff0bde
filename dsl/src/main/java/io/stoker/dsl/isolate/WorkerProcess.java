package io.stoker.dsl.isolate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One started worker JVM, waiting for its single request. */
final class WorkerProcess {

    /** How one exchange ended. */
    sealed interface Outcome {
        record Answered(byte[] stdout) implements Outcome {
        }

        record TimedOut() implements Outcome {
        }

        record TooMuchOutput() implements Outcome {
        }

        /** The JVM exited without a complete answer; exit code 3 is -XX:+ExitOnOutOfMemoryError. */
        record Died(int exitCode, String stderrTail) implements Outcome {
        }
    }

    private static final int STDERR_TAIL = 4096;
    /** How long a worker's JVM may take to come up (at least): a cold one on a loaded machine takes seconds. */
    static final long START_ALLOWANCE_MILLIS = 30_000;
    private static final java.util.concurrent.ThreadFactory DRAINS = Thread.ofPlatform().daemon()
            .name("jobfile-worker-drain-", 0).stackSize(256 * 1024).factory();

    private final Process process;
    /** Done once the worker's JVM is up and said so (a first byte on stdout), or once stdout ended. */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<byte[]> stdout;
    private final CompletableFuture<String> stderr;
    private final int maxOutputBytes;
    private final boolean forksSandbox;

    private WorkerProcess(Process process, int maxOutputBytes, boolean forksSandbox) {
        this.process = process;
        this.maxOutputBytes = maxOutputBytes;
        this.forksSandbox = forksSandbox;
        this.stdout = drain(process.getInputStream(), maxOutputBytes, ready);
        this.stderr = drain(process.getErrorStream(), Integer.MAX_VALUE, null).thenApply(bytes -> new String(bytes));
    }

    static WorkerProcess start(WorkerSettings settings) throws IOException {
        var builder = new ProcessBuilder(settings.command());
        builder.environment().clear(); // no secrets, tokens or paths from the server's environment
        builder.directory(Path.of(System.getProperty("java.io.tmpdir")).toFile());
        return new WorkerProcess(builder.start(), settings.maxOutputBytes(), settings.sandbox().kind().equals("bwrap"));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Sends the request and waits for the answer, killing the JVM when it takes longer than the timeout. The timeout
     * counts from when the worker's JVM is up: a worker started cold for this request (on a loaded machine its start
     * alone can take seconds) is first given {@link #START_ALLOWANCE_MILLIS} (or the timeout, if longer) to come up.
     */
    Outcome exchange(byte[] request, long timeoutMillis) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(request);
        } catch (IOException e) {
            // the worker died before reading; its exit code tells why
        }
        try {
            try {
                ready.get(Math.max(timeoutMillis, START_ALLOWANCE_MILLIS), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                kill();
                return new Outcome.TimedOut();
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            byte[] out = stdout.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (out == null) {
                kill();
                return new Outcome.TooMuchOutput();
            }
            if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                kill();
                return new Outcome.TimedOut();
            }
            int exit = process.exitValue();
            if (exit != 0) return new Outcome.Died(exit, tail());
            return new Outcome.Answered(out);
        } catch (java.util.concurrent.TimeoutException e) {
            kill();
            return new Outcome.TimedOut();
        } catch (java.util.concurrent.ExecutionException e) {
            kill();
            return new Outcome.Died(-1, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            return new Outcome.Died(-1, "interrupted");
        }
    }

    /** Kills the JVM and anything it started. */
    void kill() {
        if (forksSandbox) awaitSandboxChild();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * bwrap clones the sandbox's init about a millisecond after it starts, and arms its --die-with-parent only once
     * the sandbox is set up: bwrap killed before its child is seen here orphans that child, which then waits for ever
     * on bwrap's start-up eventfd as PID 1 of its namespace (deaf to SIGTERM). Its child, once there, is killed
     * directly with the rest of the descendants.
     */
    private void awaitSandboxChild() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean interrupted = false;
        while (process.isAlive() && process.children().findAny().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                interrupted = true; // bounded: a kill must not leave the sandbox behind
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private String tail() {
        try {
            String all = stderr.get(2, TimeUnit.SECONDS);
            return all.length() > STDERR_TAIL ? all.substring(all.length() - STDERR_TAIL) : all;
        } catch (Exception e) {
            return "";
        }
    }

    /**
     * Reads a stream on a platform thread; completes with null when it exceeds {@code max} bytes. Not a virtual
     * thread: a pipe read pins its carrier for as long as the worker idles, and a few idle workers then starved
     * every virtual thread of the server (runs stuck "running" with no task started).
     */
    private static CompletableFuture<byte[]> drain(InputStream stream, int max, CompletableFuture<Void> firstByte) {
        var result = new CompletableFuture<byte[]>();
        DRAINS.newThread(() -> {
            var buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            boolean overflow = false;
            try (stream) {
                int n;
                while ((n = stream.read(chunk)) >= 0) {
                    if (firstByte != null && n > 0) firstByte.complete(null);
                    if (max == Integer.MAX_VALUE) {
                        // stderr: keep only a bounded tail
                        buffer.write(chunk, 0, n);
                        if (buffer.size() > 2 * STDERR_TAIL) {
                            byte[] keep = buffer.toByteArray();
                            buffer.reset();
                            buffer.write(keep, keep.length - STDERR_TAIL, STDERR_TAIL);
                        }
                    } else if (buffer.size() + n > max) {
                        overflow = true;
                        break;
                    } else {
                        buffer.write(chunk, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process was killed; what was read so far is the answer
            }
            if (firstByte != null) firstByte.complete(null); // ended without a word: the answer's wait tells why
            result.complete(overflow ? null : buffer.toByteArray());
        }).start();
        return result;
    }

    int maxOutputBytes() {
        return maxOutputBytes;
    }
}
