package io.stoker.container;

import io.stoker.engine.exec.RunningTask;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The streams of an attempt whose process starts only after its containers are ready: reads and writes wait for
 * it, and see end of input (or a closed pipe) when it never starts.
 */
final class LateStreams {
    private LateStreams() {
    }

    /** Reads from the process's stream once it exists; end of input if it never does. */
    static InputStream input(CompletableFuture<RunningTask> process, Function<RunningTask, InputStream> stream) {
        return new InputStream() {
            private InputStream target() throws IOException {
                RunningTask p = await(process);
                return p == null ? InputStream.nullInputStream() : stream.apply(p);
            }

            @Override
            public int read() throws IOException {
                return target().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return target().read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (process.isDone()) target().close();
            }
        };
    }

    /** Writes into the process's stdin once it exists; a closed pipe if it never does. */
    static OutputStream stdin(CompletableFuture<RunningTask> process) {
        return new OutputStream() {
            private OutputStream target() throws IOException {
                RunningTask p = await(process);
                if (p == null) throw new IOException("the task's container did not start");
                return p.stdin();
            }

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
                if (process.isDone()) {
                    RunningTask p = await(process);
                    if (p != null) p.stdin().flush();
                }
            }

            @Override
            public void close() throws IOException {
                // the writer's end of input: pass it on once the process is there (or never, when it is not)
                process.thenAccept(p -> {
                    if (p == null) return;
                    try {
                        p.stdin().close();
                    } catch (IOException ignored) {
                        // the process already ended
                    }
                });
            }
        };
    }

    private static RunningTask await(CompletableFuture<RunningTask> process) throws IOException {
        try {
            return process.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the task's container starts");
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** Lines written by the executor while it prepares the containers; ends when {@link #close()} is called. */
    static final class Notes extends InputStream {
        private final StringBuilder pending = new StringBuilder();
        private byte[] current = new byte[0];
        private int at;
        private boolean closed;

        synchronized void line(String text) {
            pending.append(text).append('\n');
            notifyAll();
        }

        @Override
        public synchronized void close() {
            closed = true;
            notifyAll();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (at >= current.length) {
                if (!pending.isEmpty()) {
                    current = pending.toString().getBytes(StandardCharsets.UTF_8);
                    pending.setLength(0);
                    at = 0;
                } else if (closed) {
                    return -1;
                } else {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                }
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }
    }
}
