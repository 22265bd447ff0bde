package io.stoker.engine.log;

import io.stoker.engine.files.SafeFileName;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Task logs as files: {@code <root>/<run>/logs/<task>.log}, one line per output line
 * ({@code 2026-11-22T10:40:01.123Z out <text>}), flushed after every chunk so followers and {@code tail -f} see it.
 *
 * <p>Followers read the file, never an in-memory queue: each has its own thread that reads what was written
 * since its last position and then waits for more. So a slow follower costs the writer nothing and holds no
 * more than one read buffer.
 *
 * <p>A task's log is capped at {@code maxBytesPerTask}: it keeps its first lines up to the cap less a tail
 * reserve ({@link #tailBytes}: a quarter of the cap, at most 8 MiB), then a system line saying how much was left
 * out, then — written when the task ends — its last lines, up to the tail reserve (a task's end is usually what
 * explains it). Followers see the head live and the tail when the task ends.
 */
public final class FileLogStore implements LogSink, LogFeed {
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    /**
     * Followers read files and wait on the log's monitor for as long as a client follows: platform threads, so
     * many slow followers cannot pin the virtual-thread scheduler's few carriers that runs need.
     */
    private static final java.util.concurrent.ThreadFactory FOLLOWERS = Thread.ofPlatform().daemon()
            .name("log-follower-", 0).stackSize(256 * 1024).factory();

    private final Path root;
    private final long maxBytesPerTask;
    private final ConcurrentHashMap<Path, LiveLog> live = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder bytesWritten = new java.util.concurrent.atomic.LongAdder();
    private final LogTap tap;
    private final ForeignWriters foreign;

    /**
     * Whether a task's log may still grow though this process does not write it: another process sharing the
     * directory (a server of a cluster) does, or will once it starts the task.
     */
    @FunctionalInterface
    public interface ForeignWriters {
        boolean mayGrow(String runKey, String task) throws Exception;
    }

    /** How often a follower of a log written by another process looks at the file. */
    static final long FOREIGN_POLL_MILLIS = 200;

    public FileLogStore(Path root) {
        this(root, DEFAULT_MAX_BYTES);
    }

    public FileLogStore(Path root, long maxBytesPerTask) {
        this(root, maxBytesPerTask, LogTap.NONE);
    }

    /** A store whose written bytes {@code tap} also sees (for the runs it asks for). */
    public FileLogStore(Path root, long maxBytesPerTask, LogTap tap) {
        this(root, maxBytesPerTask, tap, null);
    }

    /**
     * A store on a directory other processes write logs in too: a follower of a log this one does not write reads
     * the file as it grows for as long as {@code foreign} says it may; null when no other process writes here.
     */
    public FileLogStore(Path root, long maxBytesPerTask, LogTap tap, ForeignWriters foreign) {
        this.foreign = foreign;
        if (maxBytesPerTask < 1024) throw new IllegalArgumentException("a task log's cap must be at least 1024 bytes");
        this.root = root;
        this.maxBytesPerTask = maxBytesPerTask;
        this.tap = tap;
    }

    /** The last bytes of a capped log kept for its end. */
    static long tailBytes(long cap) {
        return Math.min(cap / 4, 8L << 20);
    }

    /** Beside a log over its cap whose last lines are not written yet: see {@code LiveLog#markCut}. */
    static Path cutMark(Path log) {
        return log.resolveSibling(log.getFileName() + ".cut");
    }

    /** Where a task's log file is (whether or not it exists yet). */
    public Path file(String runKey, String task) {
        return root.resolve(SafeFileName.of(runKey)).resolve("logs").resolve(SafeFileName.of(task) + ".log");
    }

    @Override
    public TaskLog open(String runKey, String task) throws IOException {
        Path file = file(runKey, task);
        Files.createDirectories(file.getParent());
        LiveLog log = live.computeIfAbsent(file, LiveLog::new);
        // unbuffered: each chunk is laid out whole and written in one call
        log.open(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                Files.size(file), () -> tap.open(runKey, task));
        return log;
    }

    /** Bytes this store has written to task logs since it was made (prefixes and notices included). */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    @Override
    public Subscription follow(String runKey, String task, long fromLine, LogFollower follower) {
        Path file = file(runKey, task);
        LiveLog log = live.get(file);
        java.util.function.BooleanSupplier elsewhere = null;
        if (log == null && foreign != null) {
            elsewhere = () -> {
                try {
                    return foreign.mayGrow(runKey, task);
                } catch (Exception e) {
                    return true; // asked again at the next look
                }
            };
        } else if (log == null) {
            // not opened yet: wait for it. Or opened since the first look (a writer puts its log in the map before it
            // makes the file, and keeps it there until it ended): follow it rather than read a half-written file as
            // if it were whole, which ended the follow at once with none of the lines to come. Decided in one step
            // on the map's entry: a writer that opened, wrote and closed its log between a look at the file and the
            // making of a place to wait on left that place in the map for good, never to be opened, and this follow
            // and every later one of the log waited for ever (a skipped task's one-line log, under load)
            log = live.compute(file, (f, writing) -> writing != null || Files.exists(f) ? writing : new LiveLog(f));
        }
        Reader reader = new Reader(file, log, fromLine, follower, elsewhere);
        FOLLOWERS.newThread(reader).start();
        return reader;
    }

    /** One task's log while it is written; also the place followers wait on. */
    private final class LiveLog implements TaskLog {
        private final Path file;
        private OutputStream out;
        private long written;          // bytes in the file that followers may read; guarded by this
        private boolean opened;
        private boolean closed;
        private boolean truncated;
        private long noticeMillis;
        /** The last bytes of a log over its cap (whole lines once cut at the first newline); written when it closes. */
        private TailRing tail;
        /** One chunk's lines with their prefixes, written to the file (and the tap) in one call. */
        private byte[] staging = new byte[8 * 1024];
        private long lastMillis = Long.MIN_VALUE;
        private final byte[][] prefixes = new byte[LogStream.values().length][];
        private LogTap.Sink tapped;    // sees what is written, when the run's log is tapped
        private java.io.ByteArrayOutputStream tapBuffer;

        LiveLog(Path file) {
            this.file = file;
        }

        synchronized void open(OutputStream stream, long size, java.util.function.Supplier<LogTap.Sink> sink) {
            if (opened && !closed) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // the second stream was never used
                }
                return;
            }
            this.out = stream;
            this.written = size;
            this.opened = true;
            this.closed = false;
            this.tapped = sink.get();
            this.tapBuffer = tapped == null ? null : new java.io.ByteArrayOutputStream();
            try {
                noteCutShort();
                flushTap();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write log " + file, e);
            }
        }

        /** Writes to the file and, when tapped, to the tap's buffer (given to the tap once per chunk). */
        private void emit(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            if (tapBuffer != null) tapBuffer.write(b, off, len);
        }

        private void flushTap() {
            if (tapBuffer == null || tapBuffer.size() == 0) return;
            try {
                tapped.lines(tapBuffer.toByteArray(), 0, tapBuffer.size());
            } catch (RuntimeException e) {
                // the tap's own failure never fails the task's log
            }
            tapBuffer.reset();
        }

        @Override
        public synchronized void lines(LogStream stream, long epochMillis, byte[] buf, int off, int len) {
            if (closed || out == null) return;
            try {
                // one prefix per line (lines of a chunk arrived in the same millisecond), laid out with the lines in
                // one buffer: the chunk costs one write, not three per line
                byte[] p = prefix(epochMillis, stream);
                int n = stage(p, buf, off, len);
                if (truncated) {
                    tail.put(staging, 0, n);
                    return;
                }
                // the head takes the chunk's whole lines that fit; the rest starts the tail (a first read of a fast
                // writer may be larger than the whole head)
                long room = maxBytesPerTask - tailBytes(maxBytesPerTask) - written;
                int head = n <= room ? n : lineEndWithin(staging, (int) Math.max(0, room));
                // the mark goes down before the head's last lines: a reader that sees the head full may stop this
                // process at once (SIGKILL), and the next writer must still learn that the log went over its cap
                if (head < n) markCut();
                if (head > 0) {
                    emit(staging, 0, head);
                    written += head;
                    bytesWritten.add(head);
                    out.flush();
                    flushTap();
                    notifyAll();
                }
                if (head < n) {
                    truncated = true;
                    noticeMillis = epochMillis;
                    tail = new TailRing((int) tailBytes(maxBytesPerTask));
                    tail.put(staging, head, n - head);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write log " + file, e);
            }
        }

        /** How many of the first {@code limit} staged bytes are whole lines (0 when not even one fits). */
        private static int lineEndWithin(byte[] staged, int limit) {
            for (int i = limit - 1; i >= 0; i--) {
                if (staged[i] == '\n') return i + 1;
            }
            return 0;
        }

        /** Lays out the chunk's lines, each after the prefix and ending in a newline, in {@link #staging}. */
        private int stage(byte[] p, byte[] buf, int off, int len) {
            int end = off + len;
            int n = 0;
            int start = off;
            while (start < end) {
                int nl = Newlines.first(buf, start, end);
                if (nl < 0) nl = end;
                int need = n + p.length + (nl - start) + 1;
                if (staging.length < need) staging = java.util.Arrays.copyOf(staging, Math.max(need, staging.length * 2));
                System.arraycopy(p, 0, staging, n, p.length);
                n += p.length;
                System.arraycopy(buf, start, staging, n, nl - start);
                n += nl - start;
                staging[n++] = '\n';
                start = nl + 1;
            }
            return n;
        }

        /** The notice and the kept tail, once the task's output has ended. */
        private void writeTail() throws IOException {
            if (!truncated || out == null) return;
            byte[] kept = tail.lines();
            long dropped = tail.total() - kept.length;
            if (dropped > 0) writeNotice(dropped, kept.length);
            emit(kept, 0, kept.length);
            written += kept.length;
            bytesWritten.add(kept.length);
            tail = null;
            Files.deleteIfExists(cutMark(file));
        }

        /**
         * Leaves a mark beside a log that passed its cap: its notice and last lines wait in memory for the task's
         * end, and a process killed meanwhile (SIGKILL, power loss) takes them along. The mark tells the next writer
         * (a restart's recovery) to say the log was truncated, as the notice would have.
         */
        private void markCut() {
            try {
                Files.writeString(cutMark(file), String.valueOf(maxBytesPerTask));
            } catch (IOException e) {
                // without the mark only a crash's log lacks its notice: the task's log goes on
            }
        }

        /** The notice of a log a writer that died left over its cap, and none of its last lines (they are lost). */
        private void noteCutShort() throws IOException {
            Path mark = cutMark(file);
            if (!Files.exists(mark)) return;
            long cap;
            try {
                cap = Long.parseLong(Files.readString(mark).trim());
            } catch (NumberFormatException e) {
                cap = maxBytesPerTask;
            }
            byte[] p = LogFormat.prefix(Files.getLastModifiedTime(mark).toMillis(), LogStream.SYSTEM);
            byte[] notice = ("log truncated: this task's log passed its limit of " + cap + " bytes; the server stopped"
                    + " before the task ended, so what it wrote after these first " + written + " bytes is lost\n")
                    .getBytes(StandardCharsets.UTF_8);
            emit(p, 0, p.length);
            emit(notice, 0, notice.length);
            written += p.length + notice.length;
            bytesWritten.add(p.length + notice.length);
            out.flush();
            Files.delete(mark);
        }

        private void writeNotice(long dropped, long tailSize) throws IOException {
            // the cap and these counts are of the stored log, each line with its time and stream, not of the output
            byte[] notice = ("log truncated: this task's log passed its limit of " + maxBytesPerTask + " bytes; "
                    + dropped + " bytes of it in the middle (lines with their time and stream) are left out, its last "
                    + tailSize + " bytes follow\n").getBytes(StandardCharsets.UTF_8);
            byte[] p = LogFormat.prefix(noticeMillis, LogStream.SYSTEM);
            emit(p, 0, p.length);
            emit(notice, 0, notice.length);
            written += p.length + notice.length;
            bytesWritten.add(p.length + notice.length);
        }

        private byte[] prefix(long millis, LogStream stream) {
            if (millis != lastMillis) {
                java.util.Arrays.fill(prefixes, null);
                lastMillis = millis;
            }
            byte[] p = prefixes[stream.ordinal()];
            if (p == null) prefixes[stream.ordinal()] = p = LogFormat.prefix(millis, stream);
            return p;
        }

        @Override
        public String location() {
            return file.toString();
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
                try {
                    writeTail();
                    if (out != null) out.close();
                } catch (IOException e) {
                    // the bytes were flushed already; a failing close loses nothing
                }
                flushTap();
                if (tapped != null) {
                    try {
                        tapped.close();
                    } catch (RuntimeException e) {
                        // as above: the tap never fails the log
                    }
                    tapped = null;
                    tapBuffer = null;
                }
                notifyAll();
            }
            live.remove(file, this);
        }

        /** Waits until more than {@code pos} bytes are readable or the log ended; returns the readable size. */
        synchronized long awaitBeyond(long pos, Reader reader) throws InterruptedException {
            while (written <= pos && !(opened && closed) && !reader.stopped) wait();
            return written;
        }

        synchronized boolean ended() {
            return opened && closed;
        }

        synchronized void wake() {
            notifyAll();
        }
    }

    /**
     * One follower: reads the file from where it stopped (the file stays open while it follows), delivers the whole
     * lines of each read in one call, waits for more.
     */
    private final class Reader implements Runnable, Subscription {
        private final Path file;
        private final LiveLog log;
        private final LogFollower follower;
        private final java.util.function.BooleanSupplier elsewhere;
        private long skip;
        private volatile boolean stopped;
        /** Bytes read and not delivered yet: {@code [0, held)} is the start of a line whose end is not read yet. */
        private byte[] buf = new byte[64 * 1024];
        private int held;

        /** @param elsewhere for a log another process writes: whether it may grow still; null otherwise */
        Reader(Path file, LiveLog log, long fromLine, LogFollower follower, java.util.function.BooleanSupplier elsewhere) {
            this.elsewhere = elsewhere;
            this.file = file;
            this.log = log;
            this.skip = fromLine;
            this.follower = follower;
        }

        @Override
        public void run() {
            long pos = 0;
            RandomAccessFile in = null;
            try {
                while (!stopped) {
                    long limit;
                    boolean last;
                    if (log == null && elsewhere != null) {
                        // asked before the size is read: every line written before "no more" is within it
                        last = !elsewhere.getAsBoolean();
                        limit = Files.exists(file) ? Files.size(file) : 0;
                        if (!last && limit <= pos) {
                            Thread.sleep(FOREIGN_POLL_MILLIS);
                            continue;
                        }
                    } else if (log == null) {
                        limit = Files.exists(file) ? Files.size(file) : 0;
                        last = true;
                    } else {
                        limit = log.awaitBeyond(pos, this);
                        last = log.ended();
                        if (last) limit = Files.exists(file) ? Files.size(file) : limit;
                    }
                    if (stopped) return;
                    if (limit > pos) {
                        if (in == null) in = new RandomAccessFile(file.toFile(), "r");
                        pos = readRange(in, pos, limit);
                    }
                    if (last && pos >= limit) {
                        follower.end();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                follower.line(new LogLine(java.time.Instant.now(), LogStream.SYSTEM, "cannot read log: " + e.getMessage()));
                follower.end();
            } finally {
                if (in != null) {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // read-only: nothing is lost
                    }
                }
            }
        }

        private long readRange(RandomAccessFile in, long pos, long limit) throws IOException {
            in.seek(pos);
            while (pos < limit && !stopped) {
                if (held == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a line longer than buf
                int n = in.read(buf, held, (int) Math.min(buf.length - held, limit - pos));
                if (n <= 0) break;
                pos += n;
                int end = held + n;
                int lastNl = end - 1;
                while (lastNl >= held && buf[lastNl] != '\n') lastNl--;
                held = end;
                if (lastNl < 0 || buf[lastNl] != '\n') continue;
                deliver(lastNl + 1);
                System.arraycopy(buf, lastNl + 1, buf, 0, end - lastNl - 1);
                held = end - lastNl - 1;
            }
            return pos;
        }

        /** Gives the whole lines in {@code buf[0, len)} to the follower, less those a reconnect skips. */
        private void deliver(int len) {
            int from = 0;
            while (skip > 0 && from < len) {
                while (buf[from] != '\n') from++;
                from++;
                skip--;
            }
            if (from < len && !stopped) follower.lines(buf, from, len - from);
        }

        @Override
        public void close() {
            stopped = true;
            if (log != null) log.wake();
        }
    }

    /** Every log file of a run, for listing. */
    public List<Path> files(String runKey) throws IOException {
        Path dir = root.resolve(SafeFileName.of(runKey)).resolve("logs");
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return new ArrayList<>(s.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList());
        }
    }
}
