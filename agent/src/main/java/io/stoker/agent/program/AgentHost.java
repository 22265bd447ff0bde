package io.stoker.agent.program;

import io.stoker.agent.protocol.Frame;
import io.stoker.agent.protocol.FrameCodec;
import io.stoker.agent.protocol.FrameOutbox;
import io.stoker.container.ContainerEngine;
import io.stoker.container.ContainerExecutor;
import io.stoker.container.ContainerSettings;
import io.stoker.engine.exec.Executor;
import io.stoker.engine.exec.local.LocalExecutor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's tasks, which outlive any one connection: {@link #serve} talks to one connection at a time (a newer
 * one replaces an older), while tasks keep running and keep what the server has not acknowledged.
 */
public final class AgentHost implements Peers {
    /** The local executor, wrapped by the container executor for tasks with an image. */
    private final Executor executor;
    private final String software;
    private final Map<String, HostedTask> tasks = new ConcurrentHashMap<>();
    private final Object peerLock = new Object();
    private Peer peer;
    private long lastActive = System.nanoTime();
    private volatile boolean quitWhenIdle;

    /**
     * @param scratch  where the local executor keeps each task's scripts and output file
     * @param baseEnv  the environment every task starts from (the launch's variables go on top)
     * @param software how the agent names itself in its hello
     */
    public AgentHost(Path scratch, Map<String, String> baseEnv, String software) {
        LocalExecutor local = new LocalExecutor(scratch, baseEnv);
        this.executor = new ContainerExecutor(local, local, ContainerEngine.find(null),
                ContainerSettings.defaults().withOwner("stoker-agent"));
        this.software = software;
    }

    /**
     * Serves one connection until it ends (or a newer one replaces it). Tasks are not touched when it ends.
     * Throws when the peer breaks the protocol.
     */
    public void serve(FrameCodec codec) throws IOException {
        Frame first = codec.read();
        Peer p = new Peer(codec);
        p.send(new Frame.Hello(Frame.PROTOCOL, software, tasks.keySet().stream().sorted().toList()));
        if (!(first instanceof Frame.Hello h) || h.protocol() != Frame.PROTOCOL) {
            codec.close();
            throw new FrameCodec.ProtocolException("the peer does not speak agent protocol " + Frame.PROTOCOL
                    + ": it said " + first);
        }
        Peer old;
        synchronized (peerLock) {
            old = peer;
            peer = p;
        }
        if (old != null) {
            old.outbox.stop();
            old.codec.close();
        }
        try {
            for (Frame f = codec.read(); f != null; f = codec.read()) {
                handle(f);
            }
        } finally {
            synchronized (peerLock) {
                if (peer == p) peer = null;
                lastActive = System.nanoTime();
            }
            p.outbox.stop();
            codec.close();
        }
    }

    private void handle(Frame f) {
        switch (f) {
            case Frame.Start s -> start(s);
            case Frame.Chunk c -> withTask(c.task(), t -> t.stdinChunk(c.offset(), c.data()));
            case Frame.Ack a -> withTask(a.task(), t -> t.ack(a.stream(), a.received(), a.window()));
            case Frame.Close c -> withTask(c.task(), t -> t.close(c.stream(), c.at()));
            case Frame.Cancel c -> withTask(c.task(), HostedTask::cancel);
            case Frame.Resume r -> withTask(r.task(), t -> t.resume(r.stdout(), r.stderr()));
            case Frame.Release r -> {
                HostedTask t = tasks.remove(r.task());
                if (t != null) t.release();
            }
            case Frame.Heartbeat h -> send(h);
            case Frame.Quit q -> quitWhenIdle = true;
            case Frame.Hello h -> { } // only the first frame is a hello; a repeated one changes nothing
            case Frame.Exit e -> { } // the agent sends these, it does not receive them
            case Frame.Unknown u -> { }
        }
    }

    private void start(Frame.Start s) {
        if (tasks.containsKey(s.task())) { // a start sent again after a reconnect: the task runs already
            tasks.get(s.task()).resume(0, 0);
            return;
        }
        try {
            tasks.put(s.task(), HostedTask.start(s, executor, this));
            // says it has the task at once: a server that re-attaches can tell a start lost in transit (sent again)
            // from a task this program had and lost (failed as lost)
            send(new Frame.Ack(s.task(), io.stoker.agent.protocol.StreamName.STDIN, 0, s.window()));
        } catch (IOException | RuntimeException e) {
            send(new Frame.Exit(s.task(), 126, "", 0, 0, null, "cannot start the task: " + e.getMessage()));
        }
    }

    private void withTask(String id, java.util.function.Consumer<HostedTask> action) {
        HostedTask t = tasks.get(id);
        if (t == null) send(new Frame.Unknown(id));
        else action.accept(t);
    }

    @Override
    public void send(Frame frame) {
        Peer p;
        synchronized (peerLock) {
            p = peer;
        }
        if (p != null) p.send(frame);
    }

    /** Ids of the tasks held (running, or ended and not released). */
    public List<String> tasks() {
        return tasks.keySet().stream().sorted().toList();
    }

    /**
     * Whether nothing runs, no connection is open and none was for {@code millis}; or, after a {@link Frame.Quit},
     * whether nothing runs.
     */
    public boolean idleFor(long millis) {
        synchronized (peerLock) {
            if (quitWhenIdle && tasks.values().stream().allMatch(HostedTask::ended)) return true;
            if (peer != null) return false;
            if (tasks.values().stream().anyMatch(t -> !t.ended())) {
                lastActive = System.nanoTime();
                return false;
            }
            return System.nanoTime() - lastActive > millis * 1_000_000;
        }
    }

    /** Kills every task (the program is stopping). */
    public void killAll() {
        tasks.values().forEach(HostedTask::release);
        tasks.clear();
    }

    /** One connection: frames go out through its outbox; a failed write closes it, and its reader then ends. */
    private static final class Peer {
        private final FrameCodec codec;
        private final FrameOutbox outbox;

        Peer(FrameCodec codec) {
            this.codec = codec;
            this.outbox = new FrameOutbox(codec, "agent", () -> { });
        }

        void send(Frame f) {
            outbox.post(f);
        }
    }
}
