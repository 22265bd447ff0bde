package io.stoker.agent.client;

import io.stoker.agent.protocol.Frame;
import io.stoker.agent.protocol.StreamName;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * One task started on an agent, seen from the server: its streams as the agent sends them (each byte once, in
 * order, across re-attaches) and its {@link Frame.Exit}. Output is acknowledged as the engine reads it, which is
 * the agent's credit to send more.
 */
public final class RemoteTask {
    private final String id;
    private final AgentClient client;
    private final long window;
    private final StreamBuffer out;
    private final StreamBuffer err;
    private final StdinSender stdin;
    private final CompletableFuture<Frame.Exit> exit = new CompletableFuture<>();
    private long outReceived;
    private long errReceived;
    private long outAcked;
    private long errAcked;
    private boolean outReaderGone;
    private boolean cancelled;
    /**
     * Held while a chunk is written into its buffer, which may wait for the engine to read: one chunk at a time and in
     * order (an old connection's reader may still deliver while a new one's starts), and never this task's monitor,
     * which the engine's reads take to acknowledge.
     */
    private final Object delivery = new Object();

    /** The frame that started it, sent again when the agent never had it (lost with a connection). */
    private final Frame.Start start;
    /** The exit {@link #fail} made up, to tell it from the agent's own. */
    private volatile Frame.Exit givenUp;
    /** Whether any frame about it came from the agent, so the agent had its start. */
    private volatile boolean heard;
    /** Runs once before the next resume (a note for the task's log); null for none. */
    private final java.util.concurrent.atomic.AtomicReference<Runnable> beforeResume = new java.util.concurrent.atomic.AtomicReference<>();

    RemoteTask(Frame.Start start, AgentClient client) {
        this(start.task(), client, start.window(), start.stdin(), start);
    }

    private RemoteTask(String id, AgentClient client, long window, boolean piped, Frame.Start start) {
        this.start = start;
        this.id = id;
        this.client = client;
        this.window = window;
        this.out = new StreamBuffer((int) window, this::stdoutReaderGone, n -> read(StreamName.STDOUT, n));
        this.err = new StreamBuffer((int) window, () -> { }, n -> read(StreamName.STDERR, n));
        this.stdin = piped ? new StdinSender(id, client, window) : null;
    }

    public String id() {
        return id;
    }

    /** The task's stdin, or null when it was started without one. */
    public OutputStream stdin() {
        return stdin;
    }

    public InputStream stdout() {
        return out.input();
    }

    public InputStream stderr() {
        return err.input();
    }

    /** Completes when the task ended and all its output arrived; or with an error exit when it was given up. */
    public CompletableFuture<Frame.Exit> exit() {
        return exit;
    }

    /** Kills the task's process group on the agent (again after a re-attach, until it ended). */
    public void cancel() {
        synchronized (this) {
            if (exit.isDone()) return;
            cancelled = true;
        }
        client.send(new Frame.Cancel(id));
    }

    /** Tells the agent to forget the task and its files. */
    public void release() {
        client.forget(this);
        client.send(new Frame.Release(id));
    }

    /**
     * Gives the task up (its agent is lost): the streams end and {@link #exit()} completes with {@code code} and
     * {@code reason} as the error.
     */
    public void fail(int code, String reason) {
        Frame.Exit e = new Frame.Exit(id, code, "", 0, 0, null, reason);
        givenUp = e;
        end(e);
    }

    /**
     * Whether the task ended by being given up ({@link #fail}) rather than by the agent's exit frame: then its code
     * is no process's exit code.
     */
    public boolean gaveUp() {
        Frame.Exit e = exit.getNow(null);
        return e != null && e == givenUp;
    }

    /** Whether everything written to stdin reached the process (true when it had no stdin). */
    public boolean stdinDelivered() {
        return stdin == null || stdin.delivered();
    }

    // ---- frames from the agent (the client's reader thread) ----

    Frame.Start start() {
        return start;
    }

    /** Whether the agent is known to have had the start: it sent output, an exit or an acknowledgement for it. */
    boolean heard() {
        return heard;
    }

    void chunk(Frame.Chunk c) {
        heard = true;
        synchronized (delivery) {
            StreamBuffer to;
            int skip;
            synchronized (this) {
                long have = c.stream() == StreamName.STDOUT ? outReceived : errReceived;
                long end = c.offset() + c.data().length;
                if (c.offset() > have || end <= have) return; // a gap (a resume fills it) or bytes held already
                skip = (int) (have - c.offset());
                if (c.stream() == StreamName.STDOUT) outReceived = end;
                else if (c.stream() == StreamName.STDERR) errReceived = end;
                else return;
                to = c.stream() == StreamName.STDOUT ? out : err;
            }
            // waits only for an agent that sent beyond its credit (a window beyond what was read)
            try {
                to.write(c.data(), skip, c.data().length - skip);
            } catch (java.io.InterruptedIOException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void exitFrame(Frame.Exit e) {
        heard = true;
        synchronized (delivery) { // after the chunk being written, so the streams end behind all of it
            synchronized (this) {
                boolean complete = (outReaderGone || outReceived >= e.stdoutLength()) && errReceived >= e.stderrLength();
                if (!complete && e.error() == null) return; // output was lost with a connection: the resume resends both
            }
            end(e);
        }
    }

    void ack(Frame.Ack a) {
        heard = true;
        if (a.stream() == StreamName.STDIN && stdin != null) stdin.ack(a.received(), a.window());
    }

    /** Runs {@code action} once, just before the task next asks the agent to send its streams again. */
    public void beforeNextResume(Runnable action) {
        beforeResume.set(action);
    }

    /** Drops {@code action} if it has not run. */
    public void forgetBeforeResume(Runnable action) {
        beforeResume.compareAndSet(action, null);
    }

    void resume() {
        Runnable first = beforeResume.getAndSet(null);
        if (first != null) first.run();
        long o;
        long e;
        boolean cancel;
        boolean gone;
        synchronized (this) {
            o = outReceived;
            e = errReceived;
            cancel = cancelled;
            gone = outReaderGone;
        }
        if (stdin != null) stdin.reattached();
        client.send(new Frame.Resume(id, o, e));
        // the credit again: acknowledgements sent on the old connection may be lost, and a resume gives none
        acknowledge(StreamName.STDOUT, out.consumed());
        acknowledge(StreamName.STDERR, err.consumed());
        if (gone) client.send(new Frame.Close(id, StreamName.STDOUT, o));
        if (cancel) client.send(new Frame.Cancel(id));
    }

    private void end(Frame.Exit e) {
        if (stdin != null) stdin.ended();
        out.close();
        err.close();
        exit.complete(e);
    }

    private void stdoutReaderGone() {
        long at;
        synchronized (this) {
            outReaderGone = true;
            at = outReceived;
        }
        client.send(new Frame.Close(id, StreamName.STDOUT, at));
    }

    /** Acknowledges what the engine read, a quarter window at a time, so the agent keeps sending. */
    private void read(StreamName stream, long total) {
        synchronized (this) {
            long last = stream == StreamName.STDOUT ? outAcked : errAcked;
            if (total - last < window / 4) return;
        }
        acknowledge(stream, total);
    }

    private void acknowledge(StreamName stream, long total) {
        synchronized (this) {
            if (stream == StreamName.STDOUT) outAcked = Math.max(outAcked, total);
            else errAcked = Math.max(errAcked, total);
        }
        client.send(new Frame.Ack(id, stream, total, window));
    }
}
