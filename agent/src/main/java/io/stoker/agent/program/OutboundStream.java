package io.stoker.agent.program;

import io.stoker.agent.protocol.Frame;
import io.stoker.agent.protocol.StreamName;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A task's stdout or stderr on its way to the server. It reads the process's pipe only while the server has given
 * credit ({@link Frame.Ack}), so a slow or absent server slows the task, never memory; what is sent but not yet
 * acknowledged is kept, so a new connection can have it again ({@link #resend}).
 */
final class OutboundStream {
    static final int CHUNK = 64 * 1024;

    private final String task;
    private final StreamName name;
    private final InputStream source;
    private final Peers peers;
    private final ArrayDeque<Frame.Chunk> unacknowledged = new ArrayDeque<>();
    private long window;
    private long acked;
    private long read;
    private boolean ended;
    private boolean readerGone;
    private boolean waitingForCredit;

    OutboundStream(String task, StreamName name, InputStream source, long window, Peers peers) {
        this.task = task;
        this.name = name;
        this.source = source;
        this.window = Math.max(CHUNK, window);
        this.peers = peers;
    }

    /** Copies the pipe into chunks until it ends; runs on its own thread. */
    void pump() {
        byte[] buf = new byte[CHUNK];
        try {
            while (true) {
                int max;
                synchronized (this) {
                    while (!readerGone && read - acked >= window) {
                        waitingForCredit = true;
                        wait();
                    }
                    waitingForCredit = false;
                    if (readerGone) break;
                    max = (int) Math.min(buf.length, window - (read - acked));
                }
                int n = source.read(buf, 0, max);
                if (n < 0) break;
                synchronized (this) {
                    if (readerGone) continue;
                    Frame.Chunk c = new Frame.Chunk(task, name, read, Arrays.copyOf(buf, n));
                    unacknowledged.add(c);
                    read += n;
                    peers.send(c);
                }
            }
        } catch (IOException e) {
            // the pipe was closed under us (the reader went away): the stream ends here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    synchronized void ack(long received, long newWindow) {
        if (newWindow > 0) window = Math.max(CHUNK, newWindow);
        if (received > acked) acked = Math.min(received, read);
        while (!unacknowledged.isEmpty()) {
            Frame.Chunk c = unacknowledged.peekFirst();
            if (c.offset() + c.data().length > acked) break;
            unacknowledged.removeFirst();
        }
        notifyAll();
    }

    /**
     * Sends again what the server lacks from {@code from} on (it holds everything before). What it holds is not what
     * it read: its credit stays what it acknowledged (its re-attach acknowledges again what it read), so it is never
     * sent more than its buffer of a window holds beyond what it read.
     */
    synchronized void resend(long from) {
        while (!unacknowledged.isEmpty()) {
            Frame.Chunk c = unacknowledged.peekFirst();
            if (c.offset() + c.data().length > from) break;
            unacknowledged.removeFirst();
        }
        for (Frame.Chunk c : unacknowledged) {
            long end = c.offset() + c.data().length;
            if (end <= from) continue;
            if (c.offset() >= from) {
                peers.send(c);
            } else {
                int skip = (int) (from - c.offset());
                peers.send(new Frame.Chunk(task, name, from, Arrays.copyOfRange(c.data(), skip, c.data().length)));
            }
        }
    }

    /** The server's reader went away: drop what is kept and close the pipe, so the task's next write fails. */
    void readerGone() {
        synchronized (this) {
            readerGone = true;
            unacknowledged.clear();
            notifyAll();
        }
        try {
            source.close();
        } catch (IOException e) {
            // closed already
        }
    }

    /** Waits up to {@code millis} for the pipe's end; returns whether it ended. */
    synchronized boolean awaitEnd(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        while (!ended) {
            long left = (until - System.nanoTime()) / 1_000_000;
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    /** Whether it is stopped only because the server has not made room (not because the task holds the pipe). */
    synchronized boolean waitingForCredit() {
        return waitingForCredit;
    }

    synchronized long length() {
        return read;
    }
}
