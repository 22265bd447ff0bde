package io.stoker.engine.log;

/**
 * The last {@code capacity} bytes of a stream of whole lines, kept in one ring buffer: putting a chunk copies it
 * once, whatever its number of lines, and memory stays at the capacity however long the stream runs.
 */
final class TailRing {
    private final byte[] ring;
    private long total;

    TailRing(int capacity) {
        this.ring = new byte[Math.max(1, capacity)];
    }

    void put(byte[] buf, int off, int len) {
        total += len;
        if (len >= ring.length) { // only the chunk's last bytes can stay
            off += len - ring.length;
            len = ring.length;
        }
        int at = (int) ((total - len) % ring.length);
        int first = Math.min(len, ring.length - at);
        System.arraycopy(buf, off, ring, at, first);
        System.arraycopy(buf, off + first, ring, 0, len - first);
    }

    /** Every byte put so far. */
    long total() {
        return total;
    }

    /** The kept bytes from the first whole line on (a line cut by the ring's start is left out). */
    byte[] lines() {
        int size = (int) Math.min(total, ring.length);
        int start = (int) ((total - size) % ring.length);
        byte[] kept = new byte[size];
        int first = Math.min(size, ring.length - start);
        System.arraycopy(ring, start, kept, 0, first);
        System.arraycopy(ring, 0, kept, first, size - first);
        if (total <= ring.length) return kept;
        int nl = 0;
        while (nl < size && kept[nl] != '\n') nl++;
        return java.util.Arrays.copyOfRange(kept, Math.min(size, nl + 1), size);
    }
}
