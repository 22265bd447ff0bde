package io.stoker.agent.protocol;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Sends frames from a thread of its own, so no thread that reads a stream ever waits for the other side to read:
 * two peers writing to each other at once (output one way, input the other) would otherwise both block on full
 * pipes. The queue is bounded in practice by the protocol's windows: chunks are at most a window per stream beyond
 * what the peer acknowledged; the rest are small control frames.
 */
public final class FrameOutbox {
    private static final Frame STOP = new Frame.Heartbeat(Long.MIN_VALUE);

    private final FrameCodec codec;
    private final LinkedBlockingQueue<Frame> queue = new LinkedBlockingQueue<>();
    private final Runnable onFailure;
    private volatile boolean dead;

    /** Starts the sending thread; {@code onFailure} runs once when a write fails (the stream is closed then). */
    public FrameOutbox(FrameCodec codec, String name, Runnable onFailure) {
        this.codec = codec;
        this.onFailure = onFailure;
        Thread.ofPlatform().daemon().name("frames-out-" + name).start(this::drain);
    }

    /** Queues a frame; never blocks. Frames posted after the stream failed are dropped. */
    public void post(Frame f) {
        if (!dead) queue.add(f);
    }

    /** Stops sending after what is queued. */
    public void stop() {
        queue.add(STOP);
    }

    public boolean dead() {
        return dead;
    }

    private void drain() {
        try {
            while (true) {
                Frame f = queue.take();
                if (f == STOP) return;
                codec.write(f);
            }
        } catch (IOException e) {
            dead = true;
            queue.clear();
            codec.close();
            onFailure.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
