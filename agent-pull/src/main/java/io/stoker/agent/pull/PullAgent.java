package io.stoker.agent.pull;

import io.stoker.agent.client.AgentClient;
import io.stoker.agent.client.LinkOutage;
import io.stoker.agent.client.RemoteTask;
import io.stoker.agent.protocol.Frame;
import io.stoker.agent.protocol.FrameCodec;
import io.stoker.engine.exec.Executor;
import io.stoker.engine.files.SafeFileName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's side of one pull agent: the build machine dials in (a WebSocket the server accepted) and every new
 * connection is {@link #attach}ed to the same {@link AgentClient}, so tasks started earlier resume where they were.
 * While no connection is open the agent is offline; one that stays away longer than the lost timeout is lost, and
 * every task waiting for it ends with "agent lost".
 */
public final class PullAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PullAgent.class);
    /** What an attempt given up as lost returns as its exit: a placeholder, it reports none (see gaveUp). */
    static final int LOST_EXIT = 255;
    /** How the reason of an agent whose host stopped it in order begins (a dropped connection's: "disconnected"). */
    private static final String STOPPED = "stopped by its host: ";

    /** How often the server checks the connection and how long an absent agent may take to come back. */
    public record Settings(Duration heartbeat, Duration lostTimeout) {
    }

    /** What the agent said about itself when it connected. */
    public record Identity(String name, List<String> labels, int executors, String workDir, String instance,
                           String address) {
        public Identity {
            labels = List.copyOf(labels);
        }
    }

    /** Hears when the agent comes and goes (to wake attempts waiting for a slot). */
    @FunctionalInterface
    public interface Listener {
        void changed(PullAgent agent);
    }

    private final Settings settings;
    private final Clock clock;
    private final Listener listener;
    private final AgentClient client = new AgentClient("stoker-server");
    private final Map<String, TarMirror> mirrors = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile Identity identity;
    private volatile boolean closed;
    private volatile Instant lastSeen;
    /** The connection whose end {@link #awaySince} records (null: none has ended yet). Guarded by lock. */
    private AgentClient.Connection measured;
    private long awaySince = System.nanoTime(); // guarded by lock
    private String awayWhy = "not connected yet"; // guarded by lock
    private final CompletableFuture<Void> gone = new CompletableFuture<>();

    public PullAgent(Identity identity, Settings settings, Clock clock, Listener listener) {
        this.identity = identity;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
    }

    public Identity identity() {
        return identity;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Takes a new connection from the agent (its identity as it said when connecting): says hello, re-attaches the
     * tasks it holds and watches it with heartbeats on a thread of its own. Blocks for the hellos only.
     */
    public void attach(FrameCodec codec, Identity now) throws IOException {
        if (closed) {
            codec.close();
            throw new IOException("the agent was removed");
        }
        identity = now;
        AgentClient.Connection c = client.attach(codec);
        synchronized (lock) {
            lastSeen = clock.instant();
        }
        LOG.info("pull agent {} connected from {} ({})", now.name(), now.address(), c.hello().software());
        listener.changed(this);
        Thread.ofPlatform().daemon().name("pull-heartbeat-" + now.name()).start(() -> watch(c, codec));
    }

    /** Heartbeats while {@code c} is the connection; then marks the agent offline from that moment. */
    private void watch(AgentClient.Connection c, FrameCodec codec) {
        long every = settings.heartbeat().toMillis();
        String why = "the connection closed";
        while (c.open() && !closed) {
            try {
                client.heartbeat(settings.heartbeat().multipliedBy(3));
                synchronized (lock) {
                    lastSeen = clock.instant();
                }
                c.ended().get(every, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // the connection is still open: beat again
            } catch (IOException e) {
                if (c.open()) why = e.getMessage();
                break;
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                break;
            }
        }
        codec.close(); // this connection's: its reader ends, a newer one is not touched
        c.ended().completeOnTimeout(null, 5, java.util.concurrent.TimeUnit.SECONDS).join();
        // an agent that said goodbye was stopped by its host: told apart from a connection that dropped
        String away = c.quitReason() != null ? STOPPED + c.quitReason() : "disconnected: " + why;
        synchronized (lock) {
            if (client.connection() == null && client.latest() == c) {
                awaySince();
                awayWhy = away;
            }
            lock.notifyAll();
        }
        LOG.info("pull agent {} {}", identity.name(), away);
        listener.changed(this);
    }

    /** Whether a connection is open now. */
    public boolean online() {
        return !closed && client.connection() != null;
    }

    /** Why it is offline (null when online). */
    public String offlineReason() {
        if (online()) return null;
        synchronized (lock) {
            long away = awayMillis();
            // stopped in order it is not lost: its tasks ended when it said goodbye
            return away < settings.lostTimeout().toMillis() || awayWhy.startsWith(STOPPED) ? awayWhy
                    : "lost: no connection for " + seconds(away) + " s (" + awayWhy + ")";
        }
    }

    /**
     * When the agent went away: the end of its latest connection, as first noticed. Whoever notices first records
     * it (a task waiting on the connection may wake before the heartbeat thread that closed it), so the clock never
     * runs from an older disconnect. Called with {@code lock} held while no connection is open.
     */
    private long awaySince() {
        AgentClient.Connection last = client.latest();
        if (last != null && last != measured && !last.open()) {
            measured = last;
            awaySince = System.nanoTime();
        }
        return awaySince;
    }

    private long awayMillis() {
        return (System.nanoTime() - awaySince()) / 1_000_000;
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0);
    }

    public Instant lastSeen() {
        Instant seen = lastSeen;
        return online() ? clock.instant() : seen;
    }

    /** The executor that runs attempts on this agent. */
    public Executor executor() {
        return launch -> PullAttempt.start(this, launch);
    }

    /** The run's workspace copy on the agent. */
    String workspace(String runKey) {
        return identity.workDir() + "/runs/" + SafeFileName.of(runKey) + "/ws";
    }

    TarMirror mirror(String runKey) {
        return mirrors.computeIfAbsent(runKey, k -> new TarMirror(this, workspace(k)));
    }

    /** Starts a task (waits for the agent to be connected, at most the lost timeout). */
    RemoteTask start(Frame.Start start) throws IOException {
        awaitConnection();
        return client.start(start);
    }

    /**
     * Waits for a task's exit across dropped connections, telling each drop and re-attachment in {@code note} (the
     * task's log); when the agent stays away past the lost timeout, the task ends as lost.
     */
    Frame.Exit await(RemoteTask task, Consumer<String> note) {
        while (!task.exit().isDone()) {
            AgentClient.Connection c = client.connection();
            if (c != null) {
                CompletableFuture.anyOf(c.ended(), task.exit()).join();
                continue;
            }
            LinkOutage outage = LinkOutage.begin("pull agent " + identity.name(), settings.lostTimeout(), note, task);
            try {
                awaitConnection();
                if (!task.exit().isDone()) outage.reattached(task);
            } catch (IOException lost) {
                task.fail(LOST_EXIT, lost.getMessage());
                task.release();
            }
        }
        return task.exit().join();
    }

    /** Returns once a connection is open; throws "agent lost" when none came within the lost timeout. */
    void awaitConnection() throws IOException {
        synchronized (lock) {
            while (client.connection() == null) {
                if (closed) throw new IOException("agent lost: pull agent " + identity.name() + " was removed");
                long away = awayMillis();
                long left = settings.lostTimeout().toMillis() - away;
                if (left <= 0) {
                    throw new IOException("agent lost: pull agent " + identity.name() + " was away " + seconds(away)
                            + " s without reconnecting (the lost timeout is "
                            + seconds(settings.lostTimeout().toMillis()) + " s; " + awayWhy + ")");
                }
                try {
                    lock.wait(Math.min(left, 200)); // attach does not notify under this lock: look again soon
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for the agent");
                }
            }
        }
    }

    /** The run ended: its workspace copy on the agent is removed (best effort). */
    public void forgetRun(String runKey) {
        TarMirror m = mirrors.remove(runKey);
        if (m == null || !online()) return;
        try {
            m.remove();
        } catch (IOException e) {
            LOG.debug("pull agent {}: removing the workspace of {} failed: {}", identity.name(), runKey, e.toString());
        }
    }

    /** Closes the connection; tasks waiting for the agent end as lost. */
    @Override
    public void close() {
        closed = true;
        client.disconnect();
        synchronized (lock) {
            lock.notifyAll();
        }
        gone.complete(null);
    }
}
