package io.stoker.server.logstream;

import io.stoker.engine.files.SafeFileName;
import io.stoker.engine.log.LogTap;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's combined log, spooled at {@code runs/<key>/combined.log} for the runs whose log is streamed: every line
 * of every task log exactly as its file holds it ({@code <time> <stream> <text>}), prefixed with {@code [task] }, in
 * the order the server wrote them — what {@code GET /runs/{key}/log?follow=true} shows, but fixed once written, so a
 * byte offset names the same byte after a restart. Written on the task's log thread (a local append, never a
 * receiver's pace) of the server running the run; read by the senders, who wait here for more. In a cluster the
 * server running it may be another one (which taps it when it claims the run): a reader here then learns the file's
 * size from the shared data directory, every {@link #DISK_POLL_MILLIS} while it waits.
 */
public final class CombinedLog implements LogTap {
    /** What one read gives: whole lines from {@code offset}, or the end of the log. */
    public record Batch(long offset, byte[] bytes, boolean end) {
    }

    /** How often a reader of a log another process writes looks at the file's size. */
    static final long DISK_POLL_MILLIS = 200;

    private final Path runsRoot;
    private final Set<String> tapped = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Spool> spools = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder bytesSpooled = new java.util.concurrent.atomic.LongAdder();

    public CombinedLog(Path runsRoot) {
        this.runsRoot = runsRoot;
    }

    /** Where a run's combined log is kept. */
    public Path file(String runKey) {
        return runsRoot.resolve(SafeFileName.of(runKey)).resolve("combined.log");
    }

    /** Spools the run's task logs from now on (before its first task starts: at trigger, or at server start). */
    public void tap(String runKey) {
        tapped.add(runKey);
    }

    /** The run ended: its combined log ends once its open task logs are closed. */
    public void ended(String runKey) {
        if (!tapped.contains(runKey)) return; // every run's end is told: only streamed runs keep a spool
        spool(runKey).end();
    }

    /** Whether the run's combined log is over: the run ended and no task log of it is open. */
    public boolean over(String runKey) {
        return spool(runKey).over();
    }

    /** Forgets a run whose streams are all done (its file stays with the run's other files). */
    public void forget(String runKey) {
        tapped.remove(runKey);
        spools.remove(runKey);
    }

    /** Bytes appended to combined logs since start. */
    public long bytesSpooled() {
        return bytesSpooled.sum();
    }

    @Override
    public Sink open(String runKey, String task) {
        if (!tapped.contains(runKey)) return null;
        Spool spool = spool(runKey);
        spool.opened();
        byte[] prefix = ("[" + task + "] ").getBytes(StandardCharsets.UTF_8);
        return new Sink() {
            @Override
            public void lines(byte[] buf, int off, int len) {
                spool.append(prefixed(buf, off, len, prefix));
            }

            @Override
            public void close() {
                spool.closed();
            }
        };
    }

    /**
     * Whole lines from {@code offset}, at most about {@code max} bytes (a longer line comes whole); waits up to
     * {@code waitMillis} for some. An empty batch that is not the end means: nothing new yet.
     */
    public Batch read(String runKey, long offset, int max, long waitMillis) throws IOException, InterruptedException {
        Spool spool = spool(runKey);
        boolean over = spool.over(); // before the size: bytes written before the end are in it
        long size = spool.await(offset, waitMillis);
        if (size <= offset) return new Batch(offset, new byte[0], over && size <= offset);
        byte[] bytes = new byte[(int) Math.min(size - offset, Math.max(max, 1))];
        try (RandomAccessFile f = new RandomAccessFile(file(runKey).toFile(), "r")) {
            f.seek(offset);
            f.readFully(bytes);
            int cut = lastNewline(bytes);
            if (cut < 0 && offset + bytes.length < size) {
                // one line longer than max: read it whole
                java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
                line.write(bytes);
                int b;
                while ((b = f.read()) >= 0) {
                    line.write(b);
                    if (b == '\n') break;
                }
                bytes = line.toByteArray();
            } else if (cut >= 0 && cut + 1 < bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, cut + 1);
            }
            // a line another server is still writing (its size was read from the disk mid-write): not yet
            if (!over && bytes[bytes.length - 1] != '\n') return new Batch(offset, new byte[0], false);
        }
        return new Batch(offset, bytes, false);
    }

    private static int lastNewline(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) if (b[i] == '\n') return i;
        return -1;
    }

    private Spool spool(String runKey) {
        return spools.computeIfAbsent(runKey, k -> new Spool(file(k)));
    }

    private byte[] prefixed(byte[] buf, int off, int len, byte[] prefix) {
        int lines = 0;
        for (int i = off; i < off + len; i++) if (buf[i] == '\n') lines++;
        byte[] out = new byte[len + (lines + 1) * prefix.length];
        int o = 0;
        boolean lineStart = true;
        for (int i = off; i < off + len; i++) {
            if (lineStart) {
                System.arraycopy(prefix, 0, out, o, prefix.length);
                o += prefix.length;
                lineStart = false;
            }
            out[o++] = buf[i];
            if (buf[i] == '\n') lineStart = true;
        }
        return java.util.Arrays.copyOf(out, o);
    }

    /** One run's spool file: its size, its open task logs and whether the run ended. */
    private final class Spool {
        private final Path file;
        private OutputStream out;
        private long size = -1;
        private int open;
        private boolean ended;

        Spool(Path file) {
            this.file = file;
        }

        synchronized void opened() {
            open++;
        }

        synchronized void closed() {
            if (--open > 0) return;
            open = 0;
            if (out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // every append was written through already
                }
                out = null;
            }
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        synchronized boolean over() {
            return ended && open == 0;
        }

        synchronized void append(byte[] bytes) {
            try {
                if (out == null) {
                    Files.createDirectories(file.getParent());
                    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                known();
                out.write(bytes); // unbuffered: one write per chunk, whole lines, readable at once
                size += bytes.length;
                bytesSpooled.add(bytes.length);
            } catch (IOException e) {
                // a full disk loses the combined copy, not the task's own log
                return;
            }
            notifyAll();
        }

        private void known() throws IOException {
            if (size < 0) size = Files.exists(file) ? Files.size(file) : 0;
        }

        /** No task log of the run is open here: another process may be writing the file (or nobody is). */
        private void fromDisk() throws IOException {
            if (open == 0) size = Math.max(size, Files.exists(file) ? Files.size(file) : 0);
        }

        /**
         * Waits until the log has more than {@code offset} bytes, the log is over, or the time is up; the size. Once
         * it is over, the size is read again: the writer wrote every byte before the run's end was told.
         */
        synchronized long await(long offset, long waitMillis) throws IOException, InterruptedException {
            known();
            fromDisk();
            long deadline = System.nanoTime() + waitMillis * 1_000_000;
            while (size <= offset && !(ended && open == 0)) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) break;
                wait(open == 0 ? Math.min(left, DISK_POLL_MILLIS) : left);
                fromDisk();
            }
            if (ended && open == 0) fromDisk();
            return size;
        }
    }
}
