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
    /** Set once writing the log failed: the stream is drained from then on, its bytes still reach the readers. */
    private boolean logBroken;

    StreamPump(InputStream in, LineWriter log, List<OutputStream> readers,
               Runnable onReadersGone, Consumer<Exception> onError) {
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
                if (!logBroken) log.finish();
            } catch (RuntimeException e) {
                broke(e);
            } finally {
                readers.forEach(StreamPump::closeQuietly); // whatever the log did: a reader must see its input end
            }
        }
    }

    /**
     * Logs a chunk; a log that cannot be written (a full disk) is told once and then skipped, and the stream is
     * still read to its end: a task whose output is no longer read would block on its next write, for ever.
     */
    private void log(byte[] buf, int n) {
        if (logBroken) return;
        try {
            log.write(buf, 0, n);
        } catch (RuntimeException e) {
            broke(e);
        }
    }

    private void broke(RuntimeException e) {
        logBroken = true;
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
