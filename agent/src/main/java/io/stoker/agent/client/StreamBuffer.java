package io.stoker.agent.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A bounded byte queue between the thread that receives a remote task's output (from files over SFTP, or from
 * protocol frames) and the engine's pump reading the task's stdout or stderr. A full buffer blocks the writer (so a
 * slow pipe reader slows the remote reads, never memory); the reader closing early is reported once, so the writer
 * can get its SIGPIPE; every read is reported, so a sender can be given credit as room frees.
 */
public final class StreamBuffer {
    private final byte[] ring;
    private final Runnable onReaderClosed;
    private final java.util.function.LongConsumer onRead;
    private long consumed;
    private int head;
    private int size;
    private boolean writerClosed;
    private boolean readerClosed;

    public StreamBuffer(int capacity, Runnable onReaderClosed) {
        this(capacity, onReaderClosed, total -> { });
    }

    /** As above; {@code onRead} hears how many bytes were read in all after every read (outside the lock). */
    public StreamBuffer(int capacity, Runnable onReaderClosed, java.util.function.LongConsumer onRead) {
        this.ring = new byte[capacity];
        this.onReaderClosed = onReaderClosed;
        this.onRead = onRead;
    }

    public int capacity() {
        return ring.length;
    }

    /** Appends, waiting while full; bytes are dropped once the reader has closed. */
    public synchronized void write(byte[] b, int off, int len) throws InterruptedIOException {
        while (len > 0) {
            if (readerClosed) return;
            while (size == ring.length && !readerClosed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while the reader was slow");
                }
            }
            if (readerClosed) return;
            int tail = (head + size) % ring.length;
            int n = Math.min(len, Math.min(ring.length - size, ring.length - tail));
            System.arraycopy(b, off, ring, tail, n);
            size += n;
            off += n;
            len -= n;
            notifyAll();
        }
    }

    /** End of stream: the reader sees EOF once it has read what is buffered. */
    public synchronized void close() {
        writerClosed = true;
        notifyAll();
    }

    public synchronized boolean readerClosed() {
        return readerClosed;
    }

    private int read(byte[] b, int off, int len) throws IOException {
        int n = take(b, off, len);
        if (n > 0) onRead.accept(consumedAfter(n));
        return n;
    }

    /** How many bytes the reader has taken in all. */
    public synchronized long consumed() {
        return consumed;
    }

    private synchronized long consumedAfter(int n) {
        return consumed += n;
    }

    private synchronized int take(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (size == 0) {
            if (writerClosed || readerClosed) return -1;
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
        }
        int n = Math.min(len, Math.min(size, ring.length - head));
        System.arraycopy(ring, head, b, off, n);
        head = (head + n) % ring.length;
        size -= n;
        notifyAll();
        return n;
    }

    private void closeReader() {
        boolean first;
        synchronized (this) {
            first = !readerClosed && !(writerClosed && size == 0);
            readerClosed = true;
            size = 0;
            notifyAll();
        }
        if (first) onReaderClosed.run();
    }

    /** The reading end, given to the engine as the task's stdout or stderr. */
    public InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return StreamBuffer.this.read(b, off, len);
            }

            @Override
            public void close() {
                closeReader();
            }
        };
    }
}
