package io.stoker.agent.ssh;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A piped task's stdin: an exec channel running {@code cat > <fifo>} whose input is this stream. Writes block on
 * the channel's remote window, so a slow reader on the agent slows the writer on the server (backpressure);
 * closing sends EOF and waits until {@code cat} has passed everything on and exited (closing the channel earlier
 * would make the SSH server kill {@code cat} with data still in it).
 *
 * <p>The feed lives on one connection. If that connection drops while bytes are on their way, whatever the SSH
 * server still held for {@code cat} is gone and the reader sees an early EOF: {@link #cutShort} tells the attempt so,
 * and the reader fails rather than succeed on part of its input. A feed counts as delivered only once {@code cat}
 * reported how it ended (an exit status, or a signal when the reader stopped reading early, as in a shell pipe).
 */
final class StdinFeed extends OutputStream {
    private final ChannelExec channel;
    private final OutputStream in;
    private boolean closed;
    private volatile boolean abandoned;
    private final long generation;
    private final AtomicLong sent = new AtomicLong();

    private StdinFeed(ChannelExec channel, long generation) {
        this.channel = channel;
        this.in = channel.getInvertedIn();
        this.generation = generation;
    }

    static StdinFeed open(AgentLink link, String fifo, Duration timeout) throws IOException {
        ChannelExec ch = link.session().createExecChannel("exec cat > " + Shell.quote(fifo));
        ch.setOut(OutputStream.nullOutputStream());
        ch.setErr(OutputStream.nullOutputStream());
        ch.open().verify(timeout);
        return new StdinFeed(ch, link.generation());
    }

    @Override
    public void write(int b) throws IOException {
        in.write(b);
        sent.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        in.write(b, off, len);
        sent.addAndGet(len);
    }

    @Override
    public void flush() throws IOException {
        in.flush();
    }

    /**
     * Why the reader may have seen only part of its input, or null when it saw all of it (or chose to stop
     * reading). {@code on} is the link the attempt ended on: a feed whose connection was replaced before
     * {@code cat} reported its end lost what was in flight.
     */
    String cutShort(AgentLink on) {
        if (channel.getExitStatus() != null || channel.getExitSignal() != null) return null;
        boolean gone = on.generation() != generation || !channel.getSession().isOpen() || channel.isClosing()
                || channel.isClosed();
        if (!gone) return null;
        return "the connection to the agent dropped while this task's piped input was on its way ("
                + sent.get() + " bytes sent): the task may have read only part of its input";
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            in.close(); // EOF to cat
            while (!abandoned && channel.isOpen()) {
                var events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS,
                                ClientChannelEvent.EXIT_SIGNAL),
                        Duration.ofMillis(500));
                if (!events.contains(ClientChannelEvent.TIMEOUT)) break;
            }
        } finally {
            channel.close(false);
        }
    }

    /** The task ended (or was given up): stop feeding at once, whatever is still in flight. */
    void abandon() {
        abandoned = true;
        channel.close(true);
    }
}
