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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's tasks, which outlive any one connection. {@link #serve} talks to one connection per owner at a time (a
 * newer one of the same owner replaces the older): the servers of a cluster each connect to the same program, each
 * as an owner of its own (see {@link Frame.Hello#owner()}), and see only their own tasks. Tasks keep running while
 * their owner is away and keep what it has not acknowledged; an owner away for the idle time has given up on them
 * (its server gives a task up as lost well before), so they are killed and forgotten.
 */
public final class AgentHost {
    /** The owner of connections whose hello names none (older servers, pull agents). */
    private static final String SHARED = "";

    /** The local executor, wrapped by the container executor for tasks with an image. */
    private final Executor executor;
    private final String software;
    private final Map<String, Held> tasks = new ConcurrentHashMap<>();
    /**
     * Guards the owners' connections. Held only for map updates and non-blocking posts, never while taking another
     * monitor: a task sends its frames ({@link #sendTo}) while holding its own, so the other order would deadlock.
     */
    private final Object peerLock = new Object();
    /** Owner → its connection; guarded by peerLock. */
    private final Map<String, Peer> peers = new HashMap<>();
    /** Owner → when its last connection ended (System.nanoTime); guarded by peerLock. */
    private final Map<String, Long> away = new HashMap<>();
    /** Owners that said they quit and have not come back; guarded by peerLock. */
    private final Set<String> quit = new HashSet<>();
    /** Connections accepted whose hello has not been read yet; guarded by peerLock. */
    private int opening;
    private long lastActive; // guarded by peerLock

    /** A task and the owner that started it. */
    private record Held(String owner, HostedTask task) {
    }

    /**
     * @param scratch  where the local executor keeps each task's scripts and output file
     * @param baseEnv  the environment every task starts from (the launch's variables go on top)
     * @param software how the agent names itself in its hello
     */
    public AgentHost(Path scratch, Map<String, String> baseEnv, String software) {
        this(scratch, baseEnv, software, DEFAULT_OWNER);
    }

    /** @param owner the label its task containers carry, by which containers a dead host left are found */
    public AgentHost(Path scratch, Map<String, String> baseEnv, String software, String owner) {
        this(containersAround(new LocalExecutor(scratch, baseEnv), owner), software);
    }

    /** The container owner of a host that names none (a pull agent program, which runs one at a time). */
    public static final String DEFAULT_OWNER = "stoker-agent";

    /**
     * Removes the containers another (dead) host of this machine left under {@code owner}; 0 without a container
     * engine. A daemon calls it at its start for the daemons of its directory found gone.
     */
    public int reapLeftoversOf(String owner) throws IOException {
        return executor instanceof ContainerExecutor containers ? containers.reapLeftoversOf(owner) : 0;
    }

    /** A host running its tasks with {@code executor} (a spec's, to see what waits on what). */
    AgentHost(Executor executor, String software) {
        this.executor = executor;
        this.software = software;
        // the idle time counts from here: looking for a container engine above may take seconds on a loaded host
        synchronized (peerLock) {
            lastActive = System.nanoTime();
        }
    }

    private static Executor containersAround(LocalExecutor local, String owner) {
        return new ContainerExecutor(local, local, ContainerEngine.find(null), ContainerSettings.defaults().withOwner(owner));
    }

    /**
     * Serves one connection until it ends (or a newer one of its owner replaces it). Tasks are not touched when it
     * ends. Throws when the peer breaks the protocol.
     */
    public void serve(FrameCodec codec) throws IOException {
        accepted();
        serveAccepted(codec);
    }

    /**
     * A connection was accepted and is about to be {@linkplain #serveAccepted served}: from now on the host is not
     * idle. A daemon says so on its accepting thread, before the connection's own thread sets up its codec (a cold
     * JVM's first one takes a while), so it never stops under a relay that has just connected.
     */
    public void accepted() {
        synchronized (peerLock) {
            opening++;
        }
    }

    /** As {@link #serve}, for a connection {@link #accepted()} counted already. */
    public void serveAccepted(FrameCodec codec) throws IOException {
        Frame first;
        try {
            // a peer that connected is not idle while its hello is on the way (a loaded host may take seconds)
            first = codec.read();
        } finally {
            synchronized (peerLock) {
                opening--;
                lastActive = System.nanoTime();
            }
        }
        if (!(first instanceof Frame.Hello h) || h.protocol() != Frame.PROTOCOL) {
            new Peer(codec).send(new Frame.Hello(Frame.PROTOCOL, software, List.of()));
            codec.close();
            throw new FrameCodec.ProtocolException("the peer does not speak agent protocol " + Frame.PROTOCOL
                    + ": it said " + first);
        }
        String owner = h.owner() == null ? SHARED : h.owner();
        Peer p = new Peer(codec);
        Peer old;
        synchronized (peerLock) {
            // the hello is posted before the connection is the owner's: no frame of a task comes before it
            p.send(new Frame.Hello(Frame.PROTOCOL, software, tasks(owner)));
            old = peers.put(owner, p);
            away.remove(owner);
            quit.remove(owner);
        }
        if (old != null) {
            old.outbox.stop();
            old.codec.close();
        }
        try {
            for (Frame f = codec.read(); f != null; f = codec.read()) {
                handle(owner, p, f);
            }
        } finally {
            synchronized (peerLock) {
                if (peers.remove(owner, p)) away.put(owner, System.nanoTime());
                lastActive = System.nanoTime();
            }
            p.outbox.stop();
            codec.close();
        }
    }

    private void handle(String owner, Peer p, Frame f) {
        switch (f) {
            case Frame.Start s -> start(owner, s);
            case Frame.Chunk c -> withTask(owner, c.task(), t -> t.stdinChunk(c.offset(), c.data()));
            case Frame.Ack a -> withTask(owner, a.task(), t -> t.ack(a.stream(), a.received(), a.window()));
            case Frame.Close c -> withTask(owner, c.task(), t -> t.close(c.stream(), c.at()));
            // a kill may take a while (a container is removed by podman): never on the thread that answers heartbeats
            case Frame.Cancel c -> withTask(owner, c.task(), t -> aside("cancel", t::cancel));
            case Frame.Resume r -> withTask(owner, r.task(), t -> t.resume(r.stdout(), r.stderr()));
            case Frame.Release r -> {
                Held held = tasks.get(r.task());
                if (held != null && held.owner().equals(owner) && tasks.remove(r.task(), held)) {
                    aside("release", held.task()::release);
                }
            }
            case Frame.Heartbeat h -> p.send(h);
            case Frame.Quit q -> {
                synchronized (peerLock) {
                    quit.add(owner);
                }
            }
            case Frame.Hello h -> { } // only the first frame is a hello; a repeated one changes nothing
            case Frame.Exit e -> { } // the agent sends these, it does not receive them
            case Frame.Unknown u -> { }
        }
    }

    /** Runs a task's kill or release on a thread of its own, so the connection's frames keep flowing meanwhile. */
    private static void aside(String what, Runnable action) {
        Thread.ofPlatform().daemon().name("task-" + what).start(action);
    }

    private void start(String owner, Frame.Start s) {
        Held held = tasks.get(s.task());
        if (held != null) {
            // a start sent again after a reconnect: the task runs already (another owner's id is no task of this one)
            if (held.owner().equals(owner)) held.task().resume(0, 0);
            else sendTo(owner, new Frame.Exit(s.task(), 126, "", 0, 0, null, "cannot start the task: its id is taken"));
            return;
        }
        Peers peers = frame -> sendTo(owner, frame);
        try {
            tasks.put(s.task(), new Held(owner, HostedTask.start(s, executor, peers)));
            // says it has the task at once: a server that re-attaches can tell a start lost in transit (sent again)
            // from a task this program had and lost (failed as lost)
            peers.send(new Frame.Ack(s.task(), io.stoker.agent.protocol.StreamName.STDIN, 0, s.window()));
        } catch (IOException | RuntimeException e) {
            peers.send(new Frame.Exit(s.task(), 126, "", 0, 0, null, "cannot start the task: " + e.getMessage()));
        }
    }

    private void withTask(String owner, String id, java.util.function.Consumer<HostedTask> action) {
        Held held = tasks.get(id);
        if (held == null || !held.owner().equals(owner)) sendTo(owner, new Frame.Unknown(id));
        else action.accept(held.task());
    }

    /** Sends to the owner's connection of the moment; a frame sent while it has none is lost (a resume brings it again). */
    private void sendTo(String owner, Frame frame) {
        Peer p;
        synchronized (peerLock) {
            p = peers.get(owner);
        }
        if (p != null) p.send(frame);
    }

    /** Ids of the tasks held for every owner (running, or ended and not released). */
    public List<String> tasks() {
        return tasks.keySet().stream().sorted().toList();
    }

    private List<String> tasks(String owner) {
        return tasks.entrySet().stream().filter(e -> e.getValue().owner().equals(owner)).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /**
     * Whether the program may stop: nothing runs and no connection is open or opening, nor was for {@code millis}
     * (nor since the host was made); or every owner with a connection or a task said it quits and nothing runs.
     * Forgets, first, the tasks of owners away for {@code millis} (killing those still running).
     */
    public boolean idleFor(long millis) {
        forgetAbandoned(millis);
        synchronized (peerLock) {
            long now = System.nanoTime();
            boolean allEnded = tasks.values().stream().allMatch(t -> t.task().ended());
            Set<String> present = new HashSet<>(peers.keySet());
            tasks.values().forEach(t -> present.add(t.owner()));
            if (!quit.isEmpty() && quit.containsAll(present) && allEnded) return true;
            if (!peers.isEmpty() || opening > 0) return false;
            if (!allEnded) {
                lastActive = now;
                return false;
            }
            return now - lastActive > millis * 1_000_000;
        }
    }

    /** Kills and forgets the tasks of owners that have had no connection for {@code millis}. */
    private void forgetAbandoned(long millis) {
        List<Held> given = new ArrayList<>();
        synchronized (peerLock) {
            long now = System.nanoTime();
            Set<String> gone = new HashSet<>();
            away.forEach((owner, since) -> {
                if (now - since > millis * 1_000_000) gone.add(owner);
            });
            gone.forEach(away::remove);
            tasks.forEach((id, held) -> {
                if (gone.contains(held.owner()) && tasks.remove(id, held)) given.add(held);
            });
        }
        given.forEach(t -> t.task().release()); // outside the lock: a kill waits for the process group
    }

    /** Kills every task (the program is stopping). */
    public void killAll() {
        tasks.values().forEach(t -> t.task().release());
        tasks.clear();
    }

    /**
     * The program is stopping: tells each connected owner, in a {@link Frame.Quit} naming {@code reason}, that the
     * tasks it had here end with it, waits up to {@code atMost} for those frames to be written, then kills every
     * task. A server told so fails them at once instead of waiting out its lost timeout (told first, it ignores the
     * exits the kills would send, so a task's end does not depend on which came first).
     */
    public void leave(String reason, java.time.Duration atMost) {
        List<Peer> told;
        synchronized (peerLock) {
            told = List.copyOf(peers.values());
        }
        told.forEach(p -> p.send(new Frame.Quit(reason)));
        try {
            java.util.concurrent.CompletableFuture.allOf(told.stream().map(p -> p.outbox.stop())
                    .toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the connection is going anyway: its server finds the tasks lost after its timeout
        }
        killAll();
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
