package io.stoker.agent.ssh;

import io.stoker.agent.client.AgentClient;
import io.stoker.engine.exec.Executor;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One remote agent: a single SSH connection reused for many channels, kept alive by heartbeats and re-opened
 * when it drops. Tasks started through {@link #executor()} run detached on the agent, so a dropped connection
 * re-attaches; only an agent unreachable past {@link Settings#lostTimeout()} fails them with "agent lost".
 *
 * <p>Create one per registered agent, {@link #start()} it, and {@link #close()} it when the agent is removed or
 * the server stops. A host key that does not match blocks the agent ({@link AgentStatus#BLOCKED}) for good: no
 * further connection attempts until a new {@code SshAgent} is made with a corrected {@link HostKeyCheck}.
 */
public final class SshAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshAgent.class);

    /**
     * What the server hears about an agent; called from SSH threads, must not block. Logging a status change is the
     * listener's part: this class does not log it too.
     */
    public interface Listener {
        default void statusChanged(String agent, AgentStatus status, String reason) {
        }

        /** Trust-on-first-use learned this key; the caller stores it so later connections are pinned to it. */
        default void hostKeyLearned(String agent, String fingerprint) {
        }
    }

    /**
     * @param heartbeat      how often a connected agent is probed
     * @param lostTimeout    how long an agent may stay unreachable before its running tasks fail as "agent lost"
     * @param connectTimeout one connection attempt's limit (TCP + key exchange + auth)
     * @param java           the Java that runs the agent program on hosts: null to look for one (see
     *                       {@link JavaProbe}), {@code none} for shell mode always, else the binary's path
     * @param owner          who this server is to the agent program ({@link io.stoker.agent.protocol.Frame.Hello#owner()}):
     *                       the servers of a cluster name themselves apart, so each keeps its own connection to a
     *                       shared agent and sees only its own tasks there; the same owner after a restart finds its
     *                       leftover tasks and has them killed. Null: the shared owner
     */
    public record Settings(Duration heartbeat, Duration lostTimeout, Duration connectTimeout, String java,
                           String owner) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(45),
                Duration.ofSeconds(15));

        /** Settings that look for Java on each host, as the shared owner. */
        public Settings(Duration heartbeat, Duration lostTimeout, Duration connectTimeout) {
            this(heartbeat, lostTimeout, connectTimeout, null, null);
        }

        /** The same with another Java setting. */
        public Settings withJava(String java) {
            return new Settings(heartbeat, lostTimeout, connectTimeout, java, owner);
        }

        /** The same with another owner. */
        public Settings withOwner(String owner) {
            return new Settings(heartbeat, lostTimeout, connectTimeout, java, owner);
        }

        /**
         * The longest an {@link SshAgent#install} may take: the wait for a login (two connection attempts), then
         * the host's check. A caller that waits for an install over HTTP must wait longer than this.
         */
        public Duration installLimit() {
            return connectTimeout.multipliedBy(2).plus(HostProbe.CHECK_LIMIT);
        }
    }

    private final AgentEndpoint endpoint;
    private final Settings settings;
    private final Listener listener;
    private final HostKeyVerifier verifier;
    private final SshClient client;
    private final ScheduledExecutorService scheduler;
    private final SshExecutor executor;
    private final AgentClient program;
    /** How the current (or last) connection runs tasks, and why it is shell mode when it is; null before one. */
    private volatile AgentMode mode;
    private volatile String modeReason;
    /** The Java the program last started with; asked for again only when starting fails. */
    private volatile JavaProbe.Found foundJava;
    private final Map<String, RemoteAttempt> running = new ConcurrentHashMap<>();
    private volatile boolean removed;
    private final Map<String, WorkspaceMirror> mirrors = new ConcurrentHashMap<>();
    /** Attempt directories given up as lost: their processes are killed and files removed when the agent returns. */
    private final List<String> abandoned = new ArrayList<>();
    /** What lost servers left here while the agent was away, stopped at its next connection; guarded by itself. */
    private final List<LeftBehind> leftBehind = new ArrayList<>();
    /** Ended runs whose copy on the host is not removed yet (the agent was away); guarded by itself. */
    private final java.util.Set<String> unforgotten = new java.util.LinkedHashSet<>();

    /** Slow heartbeat answers in a row on an open connection before it is given up as dead. */
    private static final int MISSED_BEATS = 3;
    /** Touched by the heartbeat only (the scheduler's one thread): slow answers in a row on {@code missedOn}. */
    private int missedBeats;
    private AgentLink missedOn;

    private final Object lock = new Object();
    private AgentLink link;
    private long generation;
    private AgentStatus status = AgentStatus.OFFLINE;
    private String reason = "not connected yet";
    private long offlineSince = System.nanoTime();
    private long backoffMillis;
    private boolean started;
    /** Whether a first connection attempt has ended (connected or not): what a starting server waits for. */
    private boolean triedOnce;
    private boolean connecting;
    private boolean closed;

    public SshAgent(AgentEndpoint endpoint, Settings settings, Listener listener) {
        this.endpoint = endpoint;
        this.settings = settings == null ? Settings.DEFAULTS : settings;
        this.program = new AgentClient("stoker-server", this.settings.owner());
        this.listener = listener == null ? new Listener() { } : listener;
        this.verifier = new HostKeyVerifier(endpoint.hostKey(),
                fp -> this.listener.hostKeyLearned(endpoint.name(), fp));
        this.client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier);
        // output is fetched by SFTP request/response: with Nagle on, each small read request can wait for the
        // peer's delayed ACK (tens of ms), which throttled a cross-agent pipe to a few MB/s
        org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(client, true);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ssh-agent-" + endpoint.name());
            t.setDaemon(true);
            return t;
        });
        this.executor = new SshExecutor(this);
    }

    public AgentEndpoint endpoint() {
        return endpoint;
    }

    Settings settings() {
        return settings;
    }

    /** Connects in the background and keeps the connection (heartbeats, reconnects); returns at once. */
    public void start() {
        synchronized (lock) {
            if (started || closed) return;
            started = true;
            offlineSince = System.nanoTime();
        }
        client.start();
        scheduleConnect(0);
        long beat = Math.max(50, settings.heartbeat().toMillis());
        scheduler.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    }

    public AgentStatus status() {
        synchronized (lock) {
            return status;
        }
    }

    /** Why the agent is offline or blocked ("host key changed: expected SHA256:… got SHA256:…"), else null. */
    public String statusReason() {
        synchronized (lock) {
            return status == AgentStatus.ONLINE ? null : reason;
        }
    }

    /** The host key fingerprint seen on the last connection, null before one. */
    public String hostKeyFingerprint() {
        return verifier.seen();
    }

    /** How the agent runs tasks: persistent agent program or shell commands; null before the first connection. */
    public AgentMode mode() {
        return mode;
    }

    /** Why the agent uses shell mode (no suitable Java, or the program did not start), else null. */
    public String modeReason() {
        return modeReason;
    }

    /** Connects if needed, checks the host and prepares the work directory; the facts become automatic labels. */
    public HostFacts install() throws IOException {
        // bounded by settings.installLimit(): keep the two in step
        return HostProbe.probe(awaitLink(settings.connectTimeout().multipliedBy(2)));
    }

    /** The engine's executor for this machine. */
    public Executor executor() {
        return executor;
    }

    /** Attempts running on the agent now, by "runKey/task". */
    public List<String> running() {
        return running.values().stream().map(RemoteAttempt::label).sorted().toList();
    }

    /**
     * Removes a finished run's files from the agent (its workspace copy and attempt directories) and forgets what
     * was synced for it; best effort, when the agent is online. The engine does not know agents, so the server calls
     * this once a run has ended.
     */
    public void forgetRun(String runKey) {
        mirrors.remove(runKey);
        synchronized (unforgotten) {
            unforgotten.add(runKey);
        }
        AgentLink l = currentLink();
        if (l != null) removeForgottenRuns(l);
    }

    /**
     * Stops what a server that is gone left running here for {@code runKeys} ({@code owner}: its name to the agent
     * program, see {@link Settings#owner()}), before another server ends those runs or starts them again: in shell
     * mode each attempt's wrapper and process group, in persistent mode that owner's tasks in the agent program. Waits
     * until they are gone, at most {@code atMost}. Returns why they may still run (the agent did not answer, a process
     * outlived its kill), or empty when nothing of theirs runs here. An agent still making its first connection (a
     * server starting) is waited for, within {@code atMost}; one offline then has them stopped as soon as it connects
     * again, before it is online: no task starts there before.
     */
    public java.util.Optional<String> stopLeftovers(String owner, java.util.Collection<String> runKeys,
                                                    Duration atMost) {
        if (runKeys.isEmpty()) return java.util.Optional.empty();
        LeftBehind left = new LeftBehind(owner, List.copyOf(runKeys));
        long deadline = System.nanoTime() + atMost.toNanos();
        AgentLink l;
        synchronized (lock) {
            awaitFirstConnection(deadline);
            l = link != null && link.open() ? link : null;
            // under the lock: a connection publishes its link only once nothing is left behind (see connect)
            if (l == null) {
                synchronized (leftBehind) {
                    leftBehind.add(left);
                }
            }
        }
        if (l == null) return java.util.Optional.empty();
        try {
            stop(l, left, deadline);
            return java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.of("on agent '" + endpoint.name() + "': " + describe(e));
        }
    }

    /** Waits (holding {@link #lock}) while the agent's first connection is under way, at most until {@code deadline}. */
    private void awaitFirstConnection(long deadline) {
        while (started && !closed && !triedOnce) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) return;
            try {
                lock.wait(Math.min(left, 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A lost server's runs whose processes here are to be stopped. */
    private record LeftBehind(String owner, List<String> runKeys) {
    }

    /** Stops what {@code left} names on this link; throws saying what may still run. */
    private void stop(AgentLink l, LeftBehind left, long deadline) throws IOException {
        long tenths = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) / 100);
        List<String> runDirs = left.runKeys().stream().map(k -> RemotePaths.run(l.workDir(), k)).toList();
        AgentLink.Result r = l.exec(RemoteScripts.stopAttempts(runDirs, 20, (int) tenths),
                Duration.ofMillis(tenths * 100 + 2_000).plus(settings.connectTimeout()));
        if (!r.ok()) throw new IOException("cannot stop the processes left there: " + r.err().trim());
        if (!r.out().isBlank()) {
            String groups = r.out().trim();
            int n = groups.split("\\s+").length;
            throw new IOException(io.stoker.model.Plural.noun(n, "process group") + " " + groups
                    + (n == 1 ? " still runs" : " still run") + " after being killed");
        }
        JavaProbe.Found found = foundJava;
        if (l.program() == null || found == null || found.java() == null) return;
        // this server's own name (a lone server started again): its connection's hello, made before, already had the
        // program kill the tasks it holds for that name and this process does not know; a second connection of that
        // name would replace the server's own
        if (java.util.Objects.equals(left.owner(), settings.owner())) return;
        org.apache.sshd.client.channel.ChannelExec relay = ProgramChannel.relay(l.session(), l.sftp(), l.workDir(),
                found.java(), settings.lostTimeout().multipliedBy(2), settings.connectTimeout(),
                java.io.OutputStream.nullOutputStream());
        try {
            List<String> running = io.stoker.agent.client.AbandonedTasks.stop(ProgramChannel.codec(relay),
                    left.owner(), id -> left.runKeys().stream().anyMatch(k -> id.startsWith(k + "/")), deadline);
            if (!running.isEmpty()) {
                throw new IOException("the agent program did not report " + io.stoker.model.Plural.noun(running.size(), "task")
                        + " " + running + " ended after the kill");
            }
        } finally {
            relay.close(true);
        }
    }

    private boolean hasLeftBehind() {
        synchronized (leftBehind) {
            return !leftBehind.isEmpty();
        }
    }

    /** Stops what lost servers left while this agent was away; those it cannot stop are only logged. */
    private void stopLeftBehind(AgentLink l) {
        workOff(leftBehind, left -> {
            try {
                stop(l, left, System.nanoTime() + settings.connectTimeout().multipliedBy(2).toNanos());
            } catch (IOException e) {
                if (!l.open()) throw e; // the next connection tries again
                LOG.warn("agent {}: what server {} left for runs {} may still run: {}", endpoint.name(),
                        left.owner(), left.runKeys(), e.getMessage());
            }
        });
    }

    /**
     * Removes the copies of ended runs, now or, for an agent away when its run ended, at its next connection (while
     * this server runs: a restart's sweep of the agent's work directory is not this).
     */
    private void removeForgottenRuns(AgentLink l) {
        workOff(unforgotten, runKey -> l.exec("rm -rf " + Shell.quote(RemotePaths.run(l.workDir(), runKey)),
                settings.connectTimeout()));
    }

    /** One command on the host for each item left to do, each taken off once done; stops at the first failure. */
    private static <T> void workOff(java.util.Collection<T> pending, RemoteStep<T> step) {
        List<T> items;
        synchronized (pending) {
            items = List.copyOf(pending);
        }
        for (T item : items) {
            try {
                step.run(item);
                synchronized (pending) {
                    pending.remove(item);
                }
            } catch (IOException e) {
                return; // gone again: the next connection retries
            }
        }
    }

    /** A command on the agent's host for one item. */
    private interface RemoteStep<T> {
        void run(T item) throws IOException;
    }

    /**
     * Closes the connection for good because the agent was removed: this server's tasks there are killed first, where
     * a plain {@link #close()} leaves them to a later connection (a restart) and the program would run them on until
     * its idle time. Waits (at most the connect timeout and 10 s) for the agent program to report its tasks ended:
     * the kill must reach it before the connection closes.
     */
    public void remove() {
        removed = true;
        AgentLink l = currentLink();
        if (l != null) {
            program.cancelAll(settings.connectTimeout().plusSeconds(10));
            for (RemoteAttempt a : List.copyOf(running.values())) a.killBeforeClose(l);
        }
        close();
    }

    /** Why this agent's tasks ended when it was removed while they ran, else null. */
    String removedReason() {
        return removed ? "agent lost: " + endpoint.name() + " was removed" : null;
    }

    @Override
    public void close() {
        AgentLink l;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            l = link;
            link = null;
            lock.notifyAll();
        }
        scheduler.shutdownNow();
        program.quit("the server closed its connection to this agent");
        if (l != null) l.session().close(true);
        try {
            client.stop();
        } catch (RuntimeException e) {
            LOG.debug("agent {}: stopping the SSH client: {}", endpoint.name(), e.getMessage());
        }
    }

    // ---- the connection, for the executor ----

    /** The live link, waiting while the agent is offline; fails once it is blocked or lost. */
    AgentLink awaitLink() throws AgentUnreachable {
        return awaitLink(null);
    }

    /** As {@link #awaitLink()}, but gives up after {@code atMost} as well (null: only the lost timeout). */
    AgentLink awaitLink(Duration atMost) throws AgentUnreachable {
        start();
        long giveUp = atMost == null ? Long.MAX_VALUE : System.nanoTime() + atMost.toNanos();
        synchronized (lock) {
            while (true) {
                if (closed) {
                    throw new AgentUnreachable(removed ? removedReason() : "agent lost: " + endpoint.name() + " was closed");
                }
                if (link != null && link.open()) return link;
                if (status == AgentStatus.BLOCKED) {
                    throw new AgentUnreachable("agent " + endpoint.name() + " is blocked: " + reason);
                }
                long now = System.nanoTime();
                // still ONLINE with a closed link: the drop is being processed, offlineSince is not set yet
                long lostAt = status == AgentStatus.ONLINE ? now + settings.lostTimeout().toNanos()
                        : offlineSince + settings.lostTimeout().toNanos();
                if (now >= lostAt) {
                    throw new AgentUnreachable("agent lost: " + endpoint.name() + " unreachable for "
                            + TimeUnit.NANOSECONDS.toSeconds(now - offlineSince) + " s (" + reason + ")");
                }
                if (now >= giveUp) {
                    throw new AgentUnreachable("agent " + endpoint.name() + " not reachable: " + reason);
                }
                long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(lostAt, giveUp) - now));
                try {
                    lock.wait(Math.min(waitMs, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AgentUnreachable("interrupted while waiting for agent " + endpoint.name());
                }
            }
        }
    }

    /** The live link or null, without waiting. */
    AgentLink currentLink() {
        synchronized (lock) {
            return link != null && link.open() ? link : null;
        }
    }

    /** A caller saw this link fail: close it so the agent reconnects now rather than at the next heartbeat. */
    void linkFailed(AgentLink l) {
        if (l != null) l.session().close(true);
    }

    WorkspaceMirror mirror(String runKey) {
        return mirrors.computeIfAbsent(runKey, k -> new WorkspaceMirror());
    }

    void register(RemoteAttempt a) {
        running.put(a.label(), a);
    }

    void unregister(RemoteAttempt a) {
        running.remove(a.label(), a);
    }

    /** An attempt given up as lost: when the agent is back its process group is killed and its files removed. */
    void abandon(String attemptDir) {
        synchronized (abandoned) {
            abandoned.add(attemptDir);
        }
        AgentLink l = currentLink();
        if (l != null) scheduler.execute(() -> reapAbandoned(l));
    }

    // ---- connecting, heartbeats, reconnects ----

    private void scheduleConnect(long delayMillis) {
        synchronized (lock) {
            if (closed || connecting || status == AgentStatus.BLOCKED) return;
            connecting = true;
        }
        try {
            scheduler.schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void connect() {
        try {
            synchronized (lock) {
                if (closed || status == AgentStatus.BLOCKED || (link != null && link.open())) return;
            }
            AgentLink l;
            try {
                l = open();
            } catch (IOException e) {
                String rejected = verifier.rejection();
                if (rejected != null) {
                    block(rejected);
                } else if (e instanceof KeyRejected) {
                    block(e.getMessage());
                } else {
                    offline("cannot connect: " + ConnectFailure.describe(e, endpoint.host(), endpoint.port()));
                }
                return; // the finally below schedules the next try
            }
            // before the link is published, so nothing starts here until what dead servers left is stopped; again
            // while more was left behind meanwhile (stopLeftovers adds it under the lock only while no link is out)
            for (int round = 0; round < 3 && hasLeftBehind() && l.open(); round++) stopLeftBehind(l);
            synchronized (lock) {
                if (closed) {
                    l.session().close(true);
                    return;
                }
                link = l;
                status = AgentStatus.ONLINE;
                reason = null;
                backoffMillis = 0;
                lock.notifyAll();
            }
            listener.statusChanged(endpoint.name(), AgentStatus.ONLINE, null);
            l.session().addCloseFutureListener(f -> dropped(l));
            // the program's channel ending (its process died) is a broken link too: reconnecting starts it again
            if (l.program() != null) l.program().connection().ended().thenRun(() -> l.session().close(true));
            if (!l.session().isOpen()) dropped(l);
            stopLeftBehind(l); // what was left behind between the last round above and the link's publishing
            reapAbandoned(l);
            removeForgottenRuns(l);
        } finally {
            // not connected now (the attempt failed, or the link dropped while this attempt was finishing, when
            // dropped() could not schedule a connect of its own): try again, rather than at the next heartbeat
            boolean again;
            synchronized (lock) {
                connecting = false;
                triedOnce = true;
                lock.notifyAll();
                again = !closed && status != AgentStatus.BLOCKED && (link == null || !link.open());
            }
            if (again) scheduleConnect(nextBackoff());
        }
    }

    /** Does {@code e} come from the connection itself failing (closed, reset, a broken pipe), not from an answer? */
    static boolean brokenConnection(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 20; depth++) {
            if (t instanceof java.net.SocketException || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof java.io.EOFException) {
                return true;
            }
            String m = String.valueOf(t.getMessage());
            if (m.contains("Broken pipe") || m.contains("Connection reset") || m.contains("Session is being closed")) {
                return true;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return false;
    }

    private AgentLink open() throws IOException {
        KeyPair key;
        try {
            key = ClientKey.parse(endpoint.name(), endpoint.privateKeyPem());
        } catch (IOException e) {
            throw new KeyRejected(e.getMessage());
        }
        Duration timeout = settings.connectTimeout();
        ClientSession session = client.connect(endpoint.user(), endpoint.host(), endpoint.port())
                .verify(timeout).getClientSession();
        try {
            session.addPublicKeyIdentity(key);
            org.apache.sshd.client.future.AuthFuture auth = session.auth();
            if (!auth.await(timeout)) {
                // a host too loaded to answer the login in time (sshd forks, PAM, a busy CPU) has not refused the key:
                // offline and retried, not blocked until a person acts
                throw new IOException("no answer to the login at " + endpoint.host() + ":" + endpoint.port()
                        + " within " + Math.max(1, timeout.toSeconds()) + " s");
            }
            try {
                auth.verify(timeout); // answered: throws the refusal, if it is one
            } catch (IOException e) {
                if (verifier.rejection() != null) throw e;
                // a connection that broke during the login (the other end closed or reset it) refused nothing:
                // offline and retried, not blocked until a person acts
                if (!brokenConnection(e)
                        && (session.isOpen() || String.valueOf(e.getMessage()).contains("authentication"))) {
                    throw new KeyRejected("public key rejected by " + endpoint.user() + "@" + endpoint.host() + ":"
                            + endpoint.port() + " (" + describe(e) + "); once the host accepts the agent's key (its "
                            + "authorized_keys), 'stoker agent install " + endpoint.name() + "' tries again");
                }
                throw e;
            }
            QuietLogin.check(new AgentLink(session, null, null, 0, null), endpoint, timeout);
            SftpClient sftp = openSftp(session);
            long gen;
            synchronized (lock) {
                gen = ++generation;
            }
            AgentLink probe = new AgentLink(session, sftp, null, gen, null);
            String dir = endpoint.workDir() == null || endpoint.workDir().isBlank() ? "stoker" : endpoint.workDir();
            AgentLink.Result r = probe.exec("mkdir -p " + Shell.quote(dir) + " && cd " + Shell.quote(dir) + " && pwd",
                    timeout);
            if (!r.ok() || r.out().isBlank()) {
                throw new IOException("cannot prepare the work directory " + dir + ": " + r.err().trim());
            }
            String workDir = r.out().trim();
            return new AgentLink(session, sftp, workDir, gen, startProgram(probe, workDir));
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    /**
     * Starts the agent program when the host has a Java for it; null (shell mode) otherwise, or when it fails to
     * start — shell mode still runs tasks, and the reason is reported with the mode.
     */
    private ProgramChannel startProgram(AgentLink probe, String workDir) throws IOException {
        Duration timeout = settings.connectTimeout();
        JavaProbe.Found java = foundJava;
        if (java == null) java = JavaProbe.probe(probe, settings.java(), timeout);
        if (java.java() == null) {
            shellMode(java.reason());
            return null;
        }
        try {
            ProgramChannel p = ProgramChannel.open(probe.session(), probe.sftp(), workDir, java.java(), program,
                    settings.lostTimeout().multipliedBy(2), timeout);
            mode = AgentMode.PERSISTENT;
            modeReason = null;
            foundJava = java; // reconnects skip the search
            return p;
        } catch (IOException e) {
            if (!probe.session().isOpen()) throw e;
            foundJava = null;
            shellMode("the agent program did not start with " + java.java() + ": " + describe(e));
            return null;
        }
    }

    private void shellMode(String why) {
        if (mode != AgentMode.SHELL || !why.equals(modeReason)) LOG.info("agent {}: shell mode: {}", endpoint.name(), why);
        mode = AgentMode.SHELL;
        modeReason = why;
    }

    /** The protocol client of the agent program (its tasks survive reconnects). */
    AgentClient program() {
        return program;
    }

    private void heartbeat() {
        AgentLink l;
        synchronized (lock) {
            l = link;
        }
        if (l == null) {
            scheduleConnect(0);
            return;
        }
        if (missedOn != l) {
            missedOn = l;
            missedBeats = 0;
        }
        try {
            Duration limit = settings.heartbeat().multipliedBy(2).compareTo(settings.connectTimeout()) > 0
                    ? settings.connectTimeout() : settings.heartbeat().multipliedBy(2).plusMillis(500);
            if (l.program() != null) {
                beatProgram(limit);
            } else if (!l.exec("true", limit).ok()) {
                throw new IOException("the shell answered the heartbeat with an error");
            }
            missedBeats = 0;
        } catch (AgentLink.TimedOut slow) {
            // a slow answer on an open connection is a loaded machine, not a lost link: closing the link would cut
            // every channel on it (a pipe's feed among them); only a run of slow answers counts as a dead link
            if (l.open() && ++missedBeats < MISSED_BEATS) {
                LOG.debug("agent {}: heartbeat slow ({} in a row): {}", endpoint.name(), missedBeats, slow.getMessage());
                return;
            }
            missedBeats = 0;
            LOG.debug("agent {}: heartbeat failed: {}", endpoint.name(), slow.getMessage());
            l.session().close(true);
        } catch (IOException | RuntimeException e) {
            missedBeats = 0;
            LOG.debug("agent {}: heartbeat failed: {}", endpoint.name(), e.getMessage());
            l.session().close(true);
        }
    }

    private void beatProgram(Duration limit) throws IOException {
        try {
            program.heartbeat(limit);
        } catch (IOException e) {
            if (program.connection() != null) throw new AgentLink.TimedOut(e.getMessage());
            throw e;
        }
    }

    private void dropped(AgentLink l) {
        synchronized (lock) {
            if (link != l) return;
            link = null;
        }
        offline("connection lost");
        scheduleConnect(nextBackoff());
    }

    private void offline(String why) {
        boolean changed;
        synchronized (lock) {
            if (status == AgentStatus.BLOCKED || closed) return;
            changed = status != AgentStatus.OFFLINE || !why.equals(reason);
            if (status == AgentStatus.ONLINE) offlineSince = System.nanoTime();
            status = AgentStatus.OFFLINE;
            reason = why;
            lock.notifyAll();
        }
        // the listener logs it (with what it knows besides): a line here would say it twice
        if (changed) {
            listener.statusChanged(endpoint.name(), AgentStatus.OFFLINE, why);
        }
    }

    private void block(String why) {
        synchronized (lock) {
            if (closed) return;
            status = AgentStatus.BLOCKED;
            reason = why;
            lock.notifyAll();
        }
        listener.statusChanged(endpoint.name(), AgentStatus.BLOCKED, why);
    }

    private long nextBackoff() {
        synchronized (lock) {
            long cap = Math.min(5_000, Math.max(500, settings.heartbeat().toMillis()));
            backoffMillis = backoffMillis == 0 ? 50 : Math.min(cap, backoffMillis * 2);
            return backoffMillis;
        }
    }

    private void reapAbandoned(AgentLink l) {
        workOff(abandoned, dir -> l.exec(RemoteScripts.reap(dir), settings.connectTimeout()));
    }

    /**
     * Workspaces and task files travel over SFTP. A minimal sshd_config has no SFTP subsystem, and the SSH library's
     * own error then names its internal channel classes: say what a person must change on the host instead.
     */
    private SftpClient openSftp(ClientSession session) throws IOException {
        try {
            return SftpClientFactory.instance().createSftpClient(session);
        } catch (IOException e) {
            if (!session.isOpen()) throw e;
            throw new IOException("the host offers no SFTP subsystem, which the agent needs to copy workspaces: add"
                    + " 'Subsystem sftp internal-sftp' to " + endpoint.host() + "'s sshd_config and reload sshd", e);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The agent refused our key (or we cannot read it): a person must fix it, retrying cannot. */
    private static final class KeyRejected extends IOException {
        KeyRejected(String message) {
            super(message);
        }
    }
}
