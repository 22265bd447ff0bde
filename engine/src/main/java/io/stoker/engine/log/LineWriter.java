package io.stoker.engine.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;

/**
 * Cuts one output stream's bytes into lines for a {@link TaskLog}: whole lines of a chunk go out in one call
 * (no per-byte calls), a partial last line waits for its end, and a line longer than {@link #MAX_LINE} is cut.
 * Secrets are masked per line. Not thread-safe: one writer per stream.
 */
public final class LineWriter {
    public static final int MAX_LINE = 64 * 1024;

    private final TaskLog log;
    private final LogStream stream;
    private final SecretMask mask;
    private final Clock clock;
    private byte[] partial = new byte[256];
    private int partialLen;

    public LineWriter(TaskLog log, LogStream stream, SecretMask mask, Clock clock) {
        this.log = log;
        this.stream = stream;
        this.mask = mask;
        this.clock = clock;
    }

    /** Takes the next bytes of the stream. */
    public void write(byte[] buf, int off, int len) {
        long now = clock.millis();
        int end = off + len;
        int lastNl = Newlines.last(buf, off, end);
        if (lastNl < 0) {
            appendPartial(buf, off, len, now);
            return;
        }
        int start = off;
        if (partialLen > 0) {
            int firstNl = indexOf(buf, off, lastNl + 1);
            appendPartial(buf, off, firstNl + 1 - off, now);
            emit(partial, 0, partialLen, now);
            partialLen = 0;
            start = firstNl + 1;
        }
        if (start <= lastNl) emit(buf, start, lastNl + 1 - start, now);
        if (lastNl + 1 < end) appendPartial(buf, lastNl + 1, end - lastNl - 1, now);
    }

    /**
     * Says in the log that {@code lostBytes} of the stream could not be logged (its log could not be written): a
     * system line, after which the stream goes on. A partial line held from before is dropped with them.
     */
    public void gap(long lostBytes) {
        log.line(LogStream.SYSTEM, clock.millis(), "… " + (lostBytes + partialLen) + " bytes of "
                + (stream == LogStream.ERR ? "its error output" : "its output")
                + " were not logged: the log could not be written (is the disk full?)");
        partialLen = 0;
    }

    /** Ends the stream: a last line without newline is written too. */
    public void finish() {
        if (partialLen > 0) {
            appendPartial(new byte[]{'\n'}, 0, 1, clock.millis());
            emit(partial, 0, partialLen, clock.millis());
            partialLen = 0;
        }
    }

    private void appendPartial(byte[] buf, int off, int len, long now) {
        while (len > 0) {
            int room = MAX_LINE - 1 - partialLen;
            if (room <= 0) {
                // an endless line: cut it so memory stays bounded. The last bytes that could begin a secret move on
                // to the next piece, so a value straddling the cut is still masked whole there.
                int keep = Math.min(mask.longestBytes() - 1, partialLen - 1);
                int cut = partialLen - Math.max(keep, 0);
                byte[] head = Arrays.copyOf(partial, cut + 1);
                head[cut] = '\n';
                emit(head, 0, head.length, now);
                System.arraycopy(partial, cut, partial, 0, partialLen - cut);
                partialLen -= cut;
                continue;
            }
            int n = Math.min(room, len);
            ensure(partialLen + n);
            System.arraycopy(buf, off, partial, partialLen, n);
            partialLen += n;
            off += n;
            len -= n;
        }
    }

    private void ensure(int size) {
        if (size > partial.length) partial = Arrays.copyOf(partial, Math.max(size, Math.min(MAX_LINE, partial.length * 2)));
    }

    /** Emits complete lines; lines longer than MAX_LINE inside a chunk are fine for the log (they were read whole). */
    private void emit(byte[] buf, int off, int len, long now) {
        if (mask.isEmpty() || !mask.occursIn(buf, off, len)) {
            log.lines(stream, now, buf, off, len);
            return;
        }
        int start = off;
        int end = off + len;
        StringBuilder masked = new StringBuilder(len + 16);
        while (start < end) {
            int nl = indexOf(buf, start, end);
            masked.append(mask.apply(new String(buf, start, nl - start, StandardCharsets.UTF_8))).append('\n');
            start = nl + 1;
        }
        byte[] out = masked.toString().getBytes(StandardCharsets.UTF_8);
        log.lines(stream, now, out, 0, out.length);
    }

    private static int indexOf(byte[] buf, int from, int to) {
        int nl = Newlines.first(buf, from, to);
        return nl < 0 ? to - 1 : nl;
    }
}
