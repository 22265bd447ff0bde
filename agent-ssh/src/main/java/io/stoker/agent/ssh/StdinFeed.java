package io.stoker.agent.ssh;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;

/**
 * A piped task's stdin: an exec channel running {@code cat > <fifo>} whose input is this stream. Writes block on
 * the channel's remote window, so a slow reader on the agent slows the writer on the server (backpressure);
 * closing sends EOF and waits until {@code cat} has passed everything on and exited (closing the channel earlier
 * would make the SSH server kill {@code cat} with data still in it).
 */
final class StdinFeed extends OutputStream {
    private final ChannelExec channel;
    private final OutputStream in;
    private boolean closed;
    private volatile boolean abandoned;

    private StdinFeed(ChannelExec channel) {
        this.channel = channel;
        this.in = channel.getInvertedIn();
    }

    static StdinFeed open(AgentLink link, String fifo, Duration timeout) throws IOException {
        ChannelExec ch = link.session().createExecChannel("exec cat > " + Shell.quote(fifo));
        ch.setOut(OutputStream.nullOutputStream());
        ch.setErr(OutputStream.nullOutputStream());
        ch.open().verify(timeout);
        return new StdinFeed(ch);
    }

    @Override
    public void write(int b) throws IOException {
        in.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        in.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        in.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            in.close(); // EOF to cat
            while (!abandoned && channel.isOpen()) {
                var events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS),
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
