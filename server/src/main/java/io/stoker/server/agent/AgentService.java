package io.stoker.server.agent;

import io.stoker.agent.ssh.AgentStatus;
import io.stoker.agent.ssh.HostFacts;
import io.stoker.agent.ssh.SshAgent;
import io.stoker.server.Problem;
import io.stoker.server.audit.AuditLog;
import io.stoker.server.event.AgentChanged;
import io.stoker.server.event.EventHub;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.secret.MasterKey;
import io.stoker.server.secret.SecretBox;
import io.stoker.server.secret.SecretUnreadableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Registering, removing, installing and re-pinning agents: the database, the sealed private keys, the live
 * {@link AgentPool} and the audit log kept in step. Blocking (JDBC, SSH); routes call it on worker threads.
 */
public final class AgentService implements AgentPool.Events, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);

    private final AgentRepository repository;
    private final SecretBox box;
    private final AuditLog audit;
    private final Clock clock;
    private final AgentPool pool;
    private final EventHub hub;
    /** Which agent each running task of any server holds a slot on. */
    private final AgentTaskStore tasks;
    /** Tells the other servers of a cluster that a stored agent changed (nothing on a server alone). */
    private final Consumer<String> saved;
    /** Writes what the SSH threads report, one at a time and off those threads. */
    private final ExecutorService writes = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("agent-store").daemon().factory());

    public AgentService(AgentRepository repository, SecretBox box, AuditLog audit, SshAgent.Settings settings, Clock clock,
                        EventHub hub, Consumer<String> saved, AgentTaskStore tasks) {
        this.hub = hub;
        this.tasks = tasks;
        this.saved = saved;
        this.repository = repository;
        this.box = box;
        this.audit = audit;
        this.clock = clock;
        this.pool = new AgentPool(settings, clock, this);
    }

    public AgentPool pool() {
        return pool;
    }

    /**
     * Throws when {@code box}'s master key cannot open the private key of the first stored agent (none stored: nothing
     * to compare). In a cluster that means a server with a master key of its own (a data directory of its own): every
     * attempt it routed to an agent would wait for an agent it can never connect to.
     */
    public static void requireSameMasterKey(AgentRepository repository, SecretBox box, String keySource)
            throws SQLException {
        List<Agent> stored = repository.list();
        if (stored.isEmpty()) return;
        String name = stored.getFirst().name();
        var sealed = repository.sealedKey(name);
        if (sealed.isEmpty()) return; // deleted meanwhile
        try {
            box.openText(sealed.get(), context(name));
        } catch (SecretUnreadableException e) {
            throw new IllegalStateException("the master key " + keySource + " does not open the private keys of the"
                    + " agents the other servers of the cluster stored (agent '" + name + "'): "
                    + MasterKey.SAME_ON_EVERY_SERVER);
        }
    }

    /** Connects every stored agent (server start); an agent whose key cannot be opened is shown blocked. */
    public void startAll() throws SQLException {
        for (Agent a : repository.list()) connect(a);
    }

    private void connect(Agent a) throws SQLException {
        String pem = null;
        String unusable = null;
        try {
            pem = box.openText(repository.sealedKey(a.name()).orElseThrow(), context(a.name()));
        } catch (SecretUnreadableException e) {
            unusable = unreadableKey(e);
        }
        pool.put(a, pem, unusable);
    }

    /**
     * Another server of the cluster saved a change to the SSH agent {@code name}: reads it again and brings the pool
     * in line (off the caller's thread, in the order heard).
     */
    public void reloadLater(String name) {
        later(() -> reload(name, repository.get(name).orElse(null)));
    }

    /** Reads every SSH agent again (messages about them may have been lost): adds, updates and removes. */
    public void reloadAllLater() {
        later(() -> {
            Map<String, Agent> stored = new LinkedHashMap<>();
            for (Agent a : repository.list()) stored.put(a.name(), a);
            for (AgentState s : pool.states()) {
                if (!s.pull() && !stored.containsKey(s.agent().name())) reload(s.agent().name(), null);
            }
            for (Agent a : stored.values()) reload(a.name(), a);
        });
    }

    private interface Reload {
        void run() throws SQLException;
    }

    private void later(Reload reload) {
        try {
            writes.execute(() -> {
                try {
                    reload.run();
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("agents: cannot read a change another server made: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the server stops
        }
    }

    /** Brings one agent of the pool in line with its stored row ({@code stored} null: deleted). */
    private void reload(String name, Agent stored) throws SQLException {
        AgentState here = pool.state(name).orElse(null);
        if (here != null && here.pull()) {
            if (stored != null) LOG.warn("agent {}: another server registered an SSH agent of the name of a pull agent "
                    + "connected here; this server keeps the pull agent", name);
            return;
        }
        if (stored == null) {
            if (here != null) {
                pool.remove(name);
                LOG.info("agent {}: deleted through another server", name);
            }
        } else if (here == null || reconnects(here.agent(), stored)) {
            connect(stored);
            LOG.info("agent {}: {} through another server", name, here == null ? "registered" : "changed");
        } else {
            pool.update(withKnownHostKey(stored, here.agent()));
        }
    }

    /** Whether the stored row differs from what the pool has in what its connection uses. */
    private static boolean reconnects(Agent here, Agent stored) {
        return !stored.host().equals(here.host()) || stored.port() != here.port()
                || !java.util.Objects.equals(stored.user(), here.user())
                || !java.util.Objects.equals(stored.workDir(), here.workDir())
                || !java.util.Objects.equals(stored.blockedReason(), here.blockedReason())
                // a host key this server learned first may not be stored yet; a different stored one was pinned
                || stored.hostKey() != null && !stored.hostKey().equals(here.hostKey());
    }

    private static Agent withKnownHostKey(Agent stored, Agent here) {
        if (stored.hostKey() != null || here.hostKey() == null) return stored;
        return new Agent(stored.name(), stored.host(), stored.port(), stored.user(), here.hostKey(),
                stored.trustOnFirstUse(), stored.labels(), stored.autoLabels(), stored.facts(), stored.executors(),
                stored.workDir(), stored.blockedReason(), stored.createdAt(), stored.updatedAt(), stored.installedAt(),
                here.hostKeyMatched());
    }

    /** Registers an agent and starts connecting to it; 409 when the name is taken. */
    public AgentState register(AgentInput in, String actor) throws SQLException {
        var now = clock.instant();
        if (pool.state(in.name()).filter(AgentState::pull).isPresent()) {
            throw Problem.conflict("exists", "agent '" + in.name() + "' exists already (a pull agent)");
        }
        Agent a = new Agent(in.name(), in.host(), in.port(), in.user(), in.hostKey(), in.trustOnFirstUse(),
                in.labels(), List.of(), null, in.executors(), in.workDir(), null, now, now, null, false);
        if (!repository.insert(a, box.sealText(in.privateKey(), context(in.name())))) {
            throw Problem.conflict("exists", "agent '" + in.name() + "' exists already");
        }
        pool.put(a, in.privateKey(), null);
        saved.accept(in.name());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("host", in.host());
        detail.put("port", in.port());
        detail.put("user", in.user());
        detail.put("hostKey", in.trustOnFirstUse() ? "trust-on-first-use" : in.hostKey());
        detail.put("labels", in.labels());
        audit.record(actor, "agent.created", in.name(), detail);
        return state(in.name());
    }

    /**
     * Why an agent whose key this server cannot open gets no connection. The advice puts the master key first: in a
     * cluster the other servers open that key, and adding the agent again through this server would seal it with a
     * key they do not have.
     */
    private static String unreadableKey(SecretUnreadableException e) {
        return "its private key cannot be decrypted (" + e.getMessage() + "): this server's master key is not the one "
                + "that sealed it; " + MasterKey.SAME_ON_EVERY_SERVER + ", and only if that master key is lost, remove "
                + "and add the agent again";
    }

    /** Every agent, with the tasks any server of a cluster runs on it (the store's record) as its busy slots. */
    public List<AgentState> list() throws SQLException {
        Map<String, List<CurrentTask>> running = tasks.running();
        return pool.states().stream().map(s -> withTasks(s, running.getOrDefault(s.agent().name(), List.of()))).toList();
    }

    /** One agent, with the tasks any server of a cluster runs on it; 404 when there is none of that name. */
    public AgentState get(String name) throws SQLException {
        AgentState s = pool.state(name).orElseThrow(() -> Problem.notFound("no agent '" + name + "'"));
        return withTasks(s, tasks.running().getOrDefault(name, List.of()));
    }

    /**
     * The agent's state with the tasks the store records on it added to those this server runs there (its own are
     * known at once, the store's a moment later; a peer's only from the store). Its status stays this server's own:
     * every server of a cluster has a connection of its own to each SSH agent.
     */
    private static AgentState withTasks(AgentState s, List<CurrentTask> stored) {
        var all = new LinkedHashSet<>(s.tasks());
        all.addAll(stored);
        if (all.size() == s.tasks().size()) return s;
        return new AgentState(s.agent(), s.status(), s.statusReason(), all.size(), List.copyOf(all), s.lastSeen(),
                s.mode(), s.modeReason(), s.pull());
    }

    /**
     * Removes an agent. One with running tasks is refused with 409 unless {@code force}: then its connection closes
     * and those attempts fail (the SSH side reports why), to be retried elsewhere when they have {@code retry}.
     */
    public void delete(String name, boolean force, String actor) throws SQLException {
        AgentState s = get(name);
        if (!s.tasks().isEmpty() && !force) {
            throw Problem.conflict("busy", "agent '" + name + "' runs " + io.stoker.model.Plural.of(s.tasks().size(), "task") + " ("
                    + String.join(", ", s.tasks().stream().map(t -> t.run() + "/" + t.task()).toList())
                    + "); cancel them, wait, or remove it anyway with force (stoker agent remove " + name + " --force, ?force=true)");
        }
        if (!s.pull() && !repository.delete(name)) throw Problem.notFound("no agent '" + name + "'");
        pool.remove(name);
        if (!s.pull()) saved.accept(name);
        audit.record(actor, "agent.deleted", name, Map.of("runningTasks", s.tasks().size()));
    }

    /** Checks the host over SSH, prepares its work directory and stores what it found as automatic labels. */
    public Installed install(String name, String actor) throws SQLException, InterruptedException {
        AgentState before = get(name);
        refusePull(before, "there is nothing to install over SSH: it reports its tools and labels itself when it "
                + "connects (stoker agent run --label …)");
        if (before.status().equals("blocked") && String.valueOf(before.statusReason()).startsWith(KEY_REJECTED)) {
            retryLogin(name);
        }
        pool.awaitFirstAttempt(name, pool.settings().connectTimeout());
        AgentState s = get(name);
        if (s.status().equals("blocked")) {
            throw Problem.conflict("blocked", "agent '" + name + "' is blocked: " + s.statusReason());
        }
        if (s.status().equals("offline")) {
            throw Problem.conflict("offline", "agent '" + name + "' is offline: " + s.statusReason());
        }
        SshAgent ssh = pool.connection(name).orElseThrow(() -> Problem.conflict("offline",
                "agent '" + name + "' has no connection: " + s.statusReason()));
        HostFacts facts;
        try {
            facts = ssh.install();
        } catch (IOException | RuntimeException e) {
            audit.record(actor, "agent.install.failed", name, Map.of("reason", String.valueOf(e.getMessage())));
            throw Problem.conflict("install failed", "cannot install agent '" + name + "': " + e.getMessage());
        }
        List<String> labels = automaticLabels(facts);
        Map<String, Object> plain = plain(facts);
        var now = clock.instant();
        repository.installed(name, labels, plain, now);
        repository.get(name).ifPresent(pool::update);
        saved.accept(name);
        audit.record(actor, "agent.installed", name, Map.of("labels", labels));
        return new Installed(state(name), plain, labels);
    }

    /** Refuses, naming why, what only an SSH agent has (an install over SSH, a host key). */
    private static void refusePull(AgentState s, String why) {
        if (s.pull()) throw Problem.conflict("pull agent", "agent '" + s.agent().name() + "' is a pull agent: " + why);
    }

    /** What an install answered. */
    public record Installed(AgentState agent, Map<String, Object> facts, List<String> labels) {
    }

    /** How a block for a refused login begins: the host may accept the key later, so an install tries again. */
    private static final String KEY_REJECTED = "public key rejected by ";

    /**
     * Connects the agent again with its stored key and host key, its block cleared: a person fixed the host's
     * authorized_keys after the login was refused. A refusal again blocks it again, with the same advice.
     */
    private void retryLogin(String name) throws SQLException {
        String pem;
        try {
            pem = box.openText(repository.sealedKey(name).orElseThrow(() -> Problem.notFound("no agent '" + name + "'")),
                    context(name));
        } catch (SecretUnreadableException e) {
            throw Problem.conflict("unreadable", "agent '" + name + "': " + unreadableKey(e));
        }
        repository.unblock(name, clock.instant());
        pool.put(repository.get(name).orElseThrow(() -> Problem.notFound("no agent '" + name + "'")), pem, null);
        saved.accept(name);
    }

    /** Pins a new host key (after a person checked it) and reconnects; this also lifts a block. */
    public AgentState pinHostKey(String name, String fingerprint, String actor) throws SQLException, InterruptedException {
        AgentInput.checkFingerprint(fingerprint);
        pool.state(name).ifPresent(s -> refusePull(s, "it has no host key to pin: it dials the server, which never "
                + "connects to it"));
        Agent before = repository.get(name).orElseThrow(() -> Problem.notFound("no agent '" + name + "'"));
        // pinning reconnects, and closing the old connection would fail the attempts running over it
        AgentState now = get(name);
        if (!now.tasks().isEmpty()) {
            throw Problem.conflict("busy", "agent '" + name + "' runs "
                    + io.stoker.model.Plural.of(now.tasks().size(), "task") + "; pin its host key once "
                    + (now.tasks().size() == 1 ? "it ended" : "they ended"));
        }
        String pem; // opened first: a key this server cannot open leaves the stored host key as it was
        try {
            pem = box.openText(repository.sealedKey(name).orElseThrow(() -> Problem.notFound("no agent '" + name + "'")),
                    context(name));
        } catch (SecretUnreadableException e) {
            throw Problem.conflict("unreadable", "agent '" + name + "': " + unreadableKey(e));
        }
        if (!repository.pinHostKey(name, fingerprint, false, clock.instant())) throw Problem.notFound("no agent '" + name + "'");
        Agent after = repository.get(name).orElseThrow();
        pool.put(after, pem, null);
        saved.accept(name);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("from", before.hostKey() == null ? "-" : before.hostKey());
        detail.put("to", fingerprint);
        if (before.blockedReason() != null) detail.put("unblocked", before.blockedReason());
        audit.record(actor, "agent.hostkey.changed", name, detail);
        // the answer says how the new connection stands, not "offline" only because it has not tried yet
        pool.awaitFirstAttempt(name, pool.settings().connectTimeout());
        return state(name);
    }

    @Override
    public void hostKeyLearned(String agent, String fingerprint) {
        writes.execute(() -> {
            try {
                repository.pinHostKey(agent, fingerprint, true, clock.instant());
                audit.record("-", "agent.hostkey.learned", agent, Map.of("hostKey", fingerprint));
            } catch (SQLException | RuntimeException e) {
                LOG.error("agent {}: cannot store its learned host key {}: {}", agent, fingerprint, e.toString());
            }
        });
    }

    @Override
    public void hostKeyMatched(String agent, String fingerprint) {
        writes.execute(() -> {
            try {
                repository.hostKeyMatched(agent, fingerprint);
            } catch (SQLException | RuntimeException e) {
                LOG.error("agent {}: cannot store that its host showed the pinned key: {}", agent, e.toString());
            }
        });
    }

    @Override
    public void statusChanged(String agent, AgentStatus status, String reason) {
        hub.publish(new AgentChanged(agent, status, reason, clock.instant()));
    }

    @Override
    public void blocked(String agent, String reason) {
        writes.execute(() -> {
            try {
                repository.block(agent, reason, clock.instant());
                audit.record("-", "agent.blocked", agent, Map.of("reason", reason));
            } catch (SQLException | RuntimeException e) {
                LOG.error("agent {}: cannot store that it is blocked: {}", agent, e.toString());
            }
        });
    }

    /**
     * Run events from the server's hub: once a run has ended, the agents that ran its attempts remove their copy
     * of its workspace (best effort, off the caller's thread).
     */
    public void onEvent(LifecycleEvent event) {
        if (!(event instanceof RunFinished finished)) return;
        String run = finished.run();
        List<java.util.function.Consumer<String>> used = pool.takeUsedBy(run);
        if (used.isEmpty()) return;
        Thread.ofPlatform().daemon().name("agent-forget-" + run).start(() -> used.forEach(a -> a.accept(run)));
    }

    /** The install facts' labels plus the bare OS name, so {@code agent 'linux'} needs no user label. */
    static List<String> automaticLabels(HostFacts facts) {
        var out = new LinkedHashSet<>(facts.labels());
        if (facts.os() != null && !facts.os().isBlank()) out.add(facts.os());
        return List.copyOf(out);
    }

    private static Map<String, Object> plain(HostFacts f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("os", f.os());
        m.put("arch", f.arch());
        m.put("cpus", f.cpus());
        m.put("freeDiskBytes", f.freeDiskBytes());
        m.put("shell", f.shell());
        m.put("tools", f.tools() == null ? Map.of() : new LinkedHashMap<>(f.tools()));
        // on the PATH but not running (a mvn without Java): no tool: label, and the person installing is told why
        m.put("toolsNotRunning", f.toolsNotRunning() == null ? Map.of() : new LinkedHashMap<>(f.toolsNotRunning()));
        return m;
    }

    private AgentState state(String name) throws SQLException {
        return get(name);
    }

    /** The SecretBox context binding a sealed key to its agent's row. */
    static String context(String name) {
        return "agent:" + name;
    }

    /** Closes every connection, then the task store (the attempts those ended give their slots back first). */
    @Override
    public void close() {
        pool.close();
        tasks.close();
        writes.shutdown();
        try {
            if (!writes.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("agent store writes still pending at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
