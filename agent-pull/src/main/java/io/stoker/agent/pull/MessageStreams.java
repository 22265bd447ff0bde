package io.stoker.agent.pull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * Byte streams over a message transport (a WebSocket), so a {@link io.stoker.agent.protocol.FrameCodec} runs over
 * it unchanged: every flush of the output sends what was written as one message (the codec flushes once per frame,
 * so each frame travels as one binary message), and the input reads the messages received, in order. Whatever
 * carries the messages feeds {@link #received} and says when it {@link #ended}.
 */
public final class MessageStreams {
    /** Sends one whole message; blocks until the transport took it (that is the sender's backpressure). */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] message) throws IOException;
    }

    /** Asked for more messages once the reader has taken one (the receiver's backpressure). */
    @FunctionalInterface
    public interface Demand {
        void more();
    }

    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private final Sender sender;
    private final Demand demand;
    private final Runnable onClose;
    private byte[] current;
    private int position;
    private boolean ended;
    private String failure;

    /**
     * @param sender  sends one message
     * @param demand  asked for one more message each time one is taken
     * @param onClose closes the transport (either stream closed)
     */
    public MessageStreams(Sender sender, Demand demand, Runnable onClose) {
        this.sender = sender;
        this.demand = demand;
        this.onClose = onClose;
    }

    /** A whole message arrived. */
    public synchronized void received(byte[] message) {
        if (ended) return;
        inbox.add(message);
        notifyAll();
    }

    /** The transport closed: the input ends once what arrived is read; {@code why} null for a clean end. */
    public synchronized void ended(String why) {
        if (ended) return;
        ended = true;
        failure = why;
        notifyAll();
    }

    public synchronized boolean isEnded() {
        return ended;
    }

    private int read(byte[] b, int off, int len) throws IOException {
        boolean took = false;
        int n;
        synchronized (this) {
            while (current == null || position == current.length) {
                current = inbox.poll();
                position = 0;
                if (current != null) {
                    took = true;
                    continue;
                }
                if (ended) {
                    if (failure != null) throw new IOException(failure);
                    return -1;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
        }
        if (took) demand.more();
        return n;
    }

    /** The messages received, as one stream. */
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
                if (len == 0) return 0;
                return MessageStreams.this.read(b, off, len);
            }

            @Override
            public void close() {
                ended("closed");
                onClose.run();
            }
        };
    }

    /** One message per flush; not for two writers at once (the codec writes under its own lock). */
    public OutputStream output() {
        return new OutputStream() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                pending.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                pending.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (pending.size() == 0) return;
                if (isEnded()) throw new IOException("the connection is closed");
                byte[] message = pending.toByteArray();
                pending.reset();
                sender.send(message);
            }

            @Override
            public void close() {
                ended("closed");
                onClose.run();
            }
        };
    }
}
