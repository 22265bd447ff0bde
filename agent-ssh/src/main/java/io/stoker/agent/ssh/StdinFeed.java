package io.stoker.agent.ssh;

import org.apache.sshd.client.channel.ChannelExec;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A piped task's stdin: an exec channel running {@code cat > <fifo>} whose input is this stream. Writes block on
 * the channel's remote window, so a slow reader on the agent slows the writer on the server (backpressure);
 * closing sends EOF, and the task sees end of input once {@code cat} has passed everything on.
 */
final class StdinFeed extends OutputStream {
    private final ChannelExec channel;
    private final OutputStream in;
    private boolean closed;

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
        } finally {
            channel.close(false);
        }
    }
}
