package io.stoker.engine.run;

import io.stoker.engine.log.LineWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drains one output stream of a task into its log and, for a pipe writer, into every reader's stdin. Writes to
 * readers block (that is the backpressure); when every reader has gone, the writer's stdout is closed so its next
 * write fails with SIGPIPE, as in a shell.
 */
final class StreamPump implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPump.class);
    static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final LineWriter log;
    private final List<OutputStream> readers;
    private final Runnable onReadersGone;
    private final Consumer<Exception> onError;
    /** How long after a failed write the log is tried again: a full disk may have room again. */
    static final java.time.Duration RETRY = java.time.Duration.ofSeconds(1);

    private final long retryNanos;
    /** Set while writing the log fails: the stream is drained meanwhile, its bytes still reach the readers. */
    private boolean logBroken;
    /** When the broken log is tried again ({@link System#nanoTime()}). */
    private long retryAt;
    /** Bytes read while the log could not be written: said in the log once it can be again. */
    private long lostBytes;

    StreamPump(InputStream in, LineWriter log, List<OutputStream> readers,
               Runnable onReadersGone, Consumer<Exception> onError) {
        this(in, log, readers, onReadersGone, onError, RETRY);
    }

    StreamPump(InputStream in, LineWriter log, List<OutputStream> readers,
               Runnable onReadersGone, Consumer<Exception> onError, java.time.Duration retry) {
        this.retryNanos = retry.toNanos();
        this.in = in;
        this.log = log;
        this.readers = new ArrayList<>(readers);
        this.onReadersGone = onReadersGone;
        this.onError = onError;
    }

    @Override
    public void run() {
        boolean piped = !readers.isEmpty();
        byte[] buf = new byte[BUFFER];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (!piped) {
                    log(buf, n);
                    continue;
                }
                // the readers first: they work on the chunk while it is logged
                for (int i = readers.size() - 1; i >= 0; i--) {
                    OutputStream r = readers.get(i);
                    try {
                        r.write(buf, 0, n);
                        r.flush();
                    } catch (IOException gone) {
                        readers.remove(i);
                        closeQuietly(r);
                    }
                }
                log(buf, n);
                if (readers.isEmpty()) {
                    onReadersGone.run();
                    closeQuietly(in);
                    break;
                }
            }
        } catch (IOException e) {
            // a stream closed under us (the attempt was killed): nothing more to read
        } finally {
            try {
                if (!logBroken || mended(true)) log.finish();
            } catch (RuntimeException e) {
                broke(e);
            } finally {
                readers.forEach(StreamPump::closeQuietly); // whatever the log did: a reader must see its input end
            }
        }
    }

    /**
     * Logs a chunk; a log that cannot be written (a full disk) is told once and skipped while it fails, and the
     * stream is still read to its end: a task whose output is no longer read would block on its next write, for
     * ever. It is tried again every {@link #RETRY}: once it takes a line again, it says how much it missed, and logs on.
     */
    private void log(byte[] buf, int n) {
        if (logBroken && !mended(false)) {
            lostBytes += n;
            return;
        }
        try {
            log.write(buf, 0, n);
        } catch (RuntimeException e) {
            lostBytes += n;
            broke(e);
        }
    }

    /** Whether the broken log takes a line again (tried when the retry is due, or {@code now}). */
    private boolean mended(boolean now) {
        if (!now && System.nanoTime() - retryAt < 0) return false;
        try {
            log.gap(lostBytes);
        } catch (RuntimeException stillBroken) {
            retryAt = System.nanoTime() + retryNanos;
            return false;
        }
        LOG.info("a task's log can be written again; {} bytes of its output were not logged", lostBytes);
        logBroken = false;
        lostBytes = 0;
        return true;
    }

    private void broke(RuntimeException e) {
        boolean first = !logBroken;
        logBroken = true;
        retryAt = System.nanoTime() + retryNanos;
        if (!first) return;
        LOG.warn("a task's log cannot be written ({}); its output is still read and passed on", e.getMessage());
        try {
            onError.accept(e);
        } catch (RuntimeException alsoBroken) {
            // telling it goes through the same broken log: nothing more can be said there
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed or broken: either way it is closed now
        }
    }
}
