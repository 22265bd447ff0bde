package io.stoker.engine.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds line ends in output bytes eight at a time: a log's bytes are scanned for newlines once or twice per chunk,
 * and byte-by-byte loops were most of the time a 50 MB log spent in the engine.
 */
final class Newlines {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;

    private Newlines() {
    }

    /** The index of the first {@code '\n'} in {@code buf[from, to)}, or -1. */
    static int first(byte[] buf, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long found = newlineBytes((long) LONGS.get(buf, i));
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < to; i++) {
            if (buf[i] == '\n') return i;
        }
        return -1;
    }

    /** The index of the last {@code '\n'} in {@code buf[from, to)}, or -1. */
    static int last(byte[] buf, int from, int to) {
        int i = to;
        for (; i - Long.BYTES >= from; i -= Long.BYTES) {
            long found = newlineBytes((long) LONGS.get(buf, i - Long.BYTES));
            if (found != 0) return i - Long.BYTES + ((63 - Long.numberOfLeadingZeros(found)) >>> 3);
        }
        for (i--; i >= from; i--) {
            if (buf[i] == '\n') return i;
        }
        return -1;
    }

    /** The high bit of each byte of {@code word} (little-endian) that is a newline, and no other bit. */
    private static long newlineBytes(long word) {
        long w = word ^ NEWLINES; // a newline byte is now zero
        return ~(((w & LOWS) + LOWS) | w | LOWS);
    }
}
