package io.stoker.agent.client;

import io.stoker.agent.protocol.Frame;
import io.stoker.agent.protocol.FrameCodec;
import io.stoker.agent.protocol.FrameOutbox;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's side of one agent's protocol stream. {@link #attach} takes a fresh connection (whatever carries it:
 * an SSH channel, a WebSocket), says hello and re-attaches every task started earlier; the tasks then carry on as if
 * nothing happened. A task the agent no longer holds ends with an error exit; one the agent holds and this client
 * does not (given up as lost, or started before a restart) is killed and released.
 */
public final class AgentClient {
    /** Bytes of each stream that may be in flight (and buffered on either side). */
    public static final long WINDOW = 1 << 20;

    private final String software;
    private final String owner;
    private final Map<String, RemoteTask> tasks = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Void>> beats = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile Connection current;

    /** @param software how the server names itself in its hello */
    public AgentClient(String software) {
        this(software, null);
    }

    /**
     * @param software how the server names itself in its hello
     * @param owner    whose tasks these are on the agent (see {@link Frame.Hello#owner()}): each server of a cluster
     *                 names itself, so their connections to one agent program do not replace each other; null is
     *                 the one shared owner
     */
    public AgentClient(String software, String owner) {
        this.software = software;
        this.owner = owner;
    }

    /** One attached connection; {@link #ended()} completes when it stops (read failure, or replaced). */
    public static final class Connection {
        private final FrameCodec codec;
        private final FrameOutbox outbox;
        private final Frame.Hello hello;
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private volatile String quit;

        private Connection(FrameCodec codec, Frame.Hello hello) {
            this.codec = codec;
            this.hello = hello;
            this.outbox = new FrameOutbox(codec, "server", this::close);
        }

        public Frame.Hello hello() {
            return hello;
        }

        public CompletableFuture<Void> ended() {
            return ended;
        }

        public boolean open() {
            return !ended.isDone();
        }

        /** What the agent said when it stopped and closed this connection in order; null when it did not say goodbye. */
        public String quitReason() {
            return quit;
        }

        void close() {
            outbox.stop();
            codec.close();
            ended.complete(null);
        }
    }

    /**
     * Says hello over a new connection, starts reading it on a thread of its own and re-attaches every task; a
     * previous connection is closed. Throws when the agent does not speak this protocol.
     */
    public Connection attach(FrameCodec codec) throws IOException {
        codec.write(new Frame.Hello(Frame.PROTOCOL, software, List.of(), owner));
        Frame first = codec.read();
        if (!(first instanceof Frame.Hello h) || h.protocol() != Frame.PROTOCOL) {
            codec.close();
            throw new FrameCodec.ProtocolException("the agent does not speak protocol " + Frame.PROTOCOL + ": it said "
                    + first);
        }
        Connection c = new Connection(codec, h);
        Connection old = current;
        current = c;
        if (old != null) old.close();
        Thread.ofPlatform().daemon().name("agent-frames").start(() -> read(c));
        for (String id : h.tasks()) {
            if (tasks.containsKey(id)) continue;
            // a task this server gave up on (lost) or started before it restarted: nobody will read it
            c.outbox.post(new Frame.Cancel(id));
            c.outbox.post(new Frame.Release(id));
        }
        for (RemoteTask t : tasks.values()) {
            if (h.tasks().contains(t.id())) {
                t.resume();
            } else if (!t.heard()) {
                // nothing ever came back about it: its start was lost with the connection before the agent had it
                // (a program that restarted meanwhile would run it then, having lost the one it may have had)
                c.outbox.post(t.start());
                t.resume();
            } else {
                t.fail(255, "agent lost: the agent no longer holds the task (it was restarted)");
                tasks.remove(t.id(), t);
            }
        }
        return c;
    }

    /** The attached connection, or null. */
    public Connection connection() {
        Connection c = current;
        return c != null && c.open() ? c : null;
    }

    /**
     * The connection attached last, open or ended (null before the first): while it is ended, the agent has been
     * away since its end.
     */
    public Connection latest() {
        return current;
    }

    /** Starts a task on the attached connection; throws when there is none. */
    public RemoteTask start(Frame.Start start) throws IOException {
        Connection c = connection();
        if (c == null) throw new IOException("not connected to the agent");
        RemoteTask t = new RemoteTask(start, this);
        tasks.put(start.task(), t);
        c.outbox.post(start);
        return t;
    }

    /** Sends a heartbeat and waits for its echo; throws when none comes in time or the connection is gone. */
    public void heartbeat(Duration timeout) throws IOException {
        Connection c = connection();
        if (c == null) throw new IOException("not connected to the agent");
        long n = seq.incrementAndGet();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        beats.put(n, answered);
        try {
            c.outbox.post(new Frame.Heartbeat(n));
            answered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the agent did not answer a heartbeat within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException("the connection ended", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            beats.remove(n);
        }
    }

    /** Tasks started and not yet released. */
    public int taskCount() {
        return tasks.size();
    }

    /**
     * Kills every task of this owner on the agent and has it forget them (the agent is being removed). Waits up to
     * {@code atMost} for the agent to report each task ended, so that the kill has reached it before the caller
     * closes the connection: frames still queued when it closes are lost, and the tasks would run on unseen.
     */
    public void cancelAll(Duration atMost) {
        List<RemoteTask> all = List.copyOf(tasks.values());
        all.forEach(RemoteTask::cancel);
        try {
            CompletableFuture.allOf(all.stream().map(RemoteTask::exit).toArray(CompletableFuture[]::new))
                    .get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // released below all the same: the agent kills a task it is told to forget
        }
        all.forEach(RemoteTask::release);
    }

    /** Tells the agent program to exit once none of its tasks runs, and closes the connection. */
    public void quit(String reason) {
        Connection c = connection();
        if (c != null) {
            c.outbox.post(new Frame.Quit(reason));
            try { // a moment for it to leave before the caller closes the transport
                c.outbox.stop().get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the connection is going anyway
            }
        }
    }

    /** Closes the connection (the tasks stay, waiting for the next one). */
    public void disconnect() {
        Connection c = current;
        if (c != null) c.close();
    }

    /** Sends a frame on the attached connection; without one it is dropped (a re-attach sends what matters again). */
    void send(Frame f) {
        Connection c = connection();
        if (c != null) c.outbox.post(f);
    }

    void forget(RemoteTask t) {
        tasks.remove(t.id(), t);
    }

    private void read(Connection c) {
        try {
            for (Frame f = c.codec.read(); f != null; f = c.codec.read()) {
                switch (f) {
                    case Frame.Chunk ch -> withTask(ch.task(), t -> t.chunk(ch));
                    case Frame.Exit e -> withTask(e.task(), t -> t.exitFrame(e));
                    case Frame.Ack a -> withTask(a.task(), t -> t.ack(a));
                    case Frame.Unknown u -> {
                        RemoteTask t = tasks.remove(u.task());
                        if (t != null) t.fail(255, "agent lost: the agent no longer holds the task");
                    }
                    case Frame.Quit q -> {
                        // the agent is stopping and kills its tasks: they end now, and nothing more starts there
                        c.quit = q.reason();
                        for (RemoteTask t : List.copyOf(tasks.values())) {
                            if (tasks.remove(t.id(), t)) t.fail(255, "agent lost: " + q.reason());
                        }
                        c.close();
                    }
                    case Frame.Heartbeat h -> {
                        CompletableFuture<Void> b = beats.get(h.seq());
                        if (b != null) b.complete(null);
                    }
                    default -> { } // frames only the agent receives
                }
            }
        } catch (IOException e) {
            // the connection broke: tasks wait for the next one
        } finally {
            c.close();
            beats.values().forEach(b -> b.completeExceptionally(new IOException("the connection ended")));
        }
    }

    private void withTask(String id, java.util.function.Consumer<RemoteTask> action) {
        RemoteTask t = tasks.get(id);
        if (t != null) action.accept(t);
    }
}
