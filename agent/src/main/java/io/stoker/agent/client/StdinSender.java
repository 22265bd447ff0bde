package io.stoker.agent.client;

import io.stoker.agent.protocol.Frame;
import io.stoker.agent.protocol.StreamName;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A remote task's stdin: writes become chunks, and block while the agent has not made room (its {@link Frame.Ack}
 * says how much the process took). What is not acknowledged is kept, so after a re-attach it is sent again from the
 * offset the agent reports.
 */
final class StdinSender extends OutputStream {
    static final int CHUNK = 32 * 1024;

    private final String task;
    private final AgentClient client;
    private final ArrayDeque<Frame.Chunk> unacknowledged = new ArrayDeque<>();
    private long window;
    private long sent;
    private long acked;
    private boolean closed;
    private boolean ended;
    private boolean resendOnAck;

    StdinSender(String task, AgentClient client, long window) {
        this.task = task;
        this.client = client;
        this.window = window;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            Frame.Chunk c;
            synchronized (this) {
                while (!ended && !closed && sent - acked >= window) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while the remote task was not reading");
                    }
                }
                if (closed) throw new IOException("stdin is closed");
                if (ended) throw new IOException("the task has ended");
                int n = (int) Math.min(Math.min(len, CHUNK), window - (sent - acked));
                c = new Frame.Chunk(task, StreamName.STDIN, sent, Arrays.copyOfRange(b, off, off + n));
                unacknowledged.add(c);
                sent += n;
                off += n;
                len -= n;
                client.send(c); // in order, under the lock
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed || ended) return;
        closed = true;
        notifyAll();
        client.send(new Frame.Close(task, StreamName.STDIN, sent));
    }

    synchronized void ack(long received, long newWindow) {
        if (newWindow > 0) window = newWindow;
        if (received > acked) acked = Math.min(received, sent);
        while (!unacknowledged.isEmpty()) {
            Frame.Chunk c = unacknowledged.peekFirst();
            if (c.offset() + c.data().length > acked) break;
            unacknowledged.removeFirst();
        }
        if (resendOnAck) { // the first ack on a new connection: send again what it did not get
            resendOnAck = false;
            for (Frame.Chunk c : unacknowledged) client.send(c);
            if (closed) client.send(new Frame.Close(task, StreamName.STDIN, sent));
        }
        notifyAll();
    }

    /** A new connection: the agent's next ack tells from where to send again. */
    synchronized void reattached() {
        resendOnAck = true;
    }

    /** Whether every byte written reached the process and end of input was delivered. */
    synchronized boolean delivered() {
        return closed && acked >= sent;
    }

    synchronized void ended() {
        ended = true;
        unacknowledged.clear();
        notifyAll();
    }
}
