package io.stoker.agent.program;

import io.stoker.agent.protocol.Frame;
import io.stoker.agent.protocol.StreamName;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A task's stdin, fed by the server's chunks. The connection's reader never blocks on the task: chunks are queued
 * (at most a window's worth, which the server respects) and a thread of its own writes them into the process, and
 * acknowledges what the process took. A chunk the agent holds already is skipped, so resending after a resume is
 * harmless.
 */
final class InboundStdin {
    private final String task;
    private final OutputStream sink;
    private final long window;
    private final Peers peers;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long accepted;
    private long written;
    private long closeAt = -1;
    private boolean sinkGone;

    InboundStdin(String task, OutputStream sink, long window, Peers peers) {
        this.task = task;
        this.sink = sink;
        this.window = window;
        this.peers = peers;
    }

    synchronized void chunk(long offset, byte[] data) {
        if (offset > accepted) return; // a gap: a chunk went to a dead connection, the resume resends from `accepted`
        long skip = accepted - offset;
        if (skip >= data.length) return;
        byte[] fresh = skip == 0 ? data : Arrays.copyOfRange(data, (int) skip, data.length);
        accepted += fresh.length;
        if (sinkGone) {
            written = accepted; // nobody reads it any more: take it, so the sender never blocks
            peers.send(new Frame.Ack(task, StreamName.STDIN, written, window));
            return;
        }
        queue.add(fresh);
        notifyAll();
    }

    synchronized void close(long at) {
        closeAt = at;
        notifyAll();
    }

    /** Tells the (new) connection how much the process has taken; the server resends from there. */
    synchronized void ackAgain() {
        peers.send(new Frame.Ack(task, StreamName.STDIN, written, window));
    }

    /** Writes queued chunks into the process until end of input; runs on its own thread. */
    void pump() {
        try {
            while (true) {
                byte[] next;
                synchronized (this) {
                    while (queue.isEmpty() && !(closeAt >= 0 && accepted >= closeAt) && !sinkGone) wait();
                    if (sinkGone) return;
                    next = queue.pollFirst();
                }
                if (next == null) { // end of input, everything delivered
                    closeSink();
                    return;
                }
                try {
                    sink.write(next);
                    sink.flush();
                } catch (IOException e) {
                    synchronized (this) { // the task closed its stdin or ended: further input goes nowhere
                        sinkGone = true;
                        queue.clear();
                        written = accepted;
                    }
                    ackAgain();
                    return;
                }
                synchronized (this) {
                    written += next.length;
                }
                ackAgain();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeSink() {
        try {
            sink.close();
        } catch (IOException e) {
            // the task ended first
        }
    }

    /** The task ended: stop waiting for input. */
    synchronized void taskEnded() {
        sinkGone = true;
        queue.clear();
        notifyAll();
    }
}
